# SPDX-License-Identifier: MIT
"""mkmabs.py -- the MABS sample bundle samples/mabs01.zip and its expected
findings samples/mabs01.expected (written by samples/mksamples.py).

A log bundle of an Azure Backup Server as support collects it: the DPM
Temp folder (MSDPMCurr.errlog, DPMRACurr.errlog, DPMAMService0.errlog) and
the Temp folder of the MARS agent that MABS runs for online backup, at
their install paths.  Every trace is UTF-16LE with a byte order mark and
CRLF line ends, as the services write them.

Some lines carry the same code in a DPM trace and in the MARS log, so that
the advice can be checked to follow the product: 0x80070005 is the
protection agent's rights in a DPM trace and antivirus in a MARS log;
34517 and 100034 have MABS and MARS advice; a MARS-only code in a DPM
trace (100092) gets neutral advice.

Each generated line states the finding it must give; mabs01.expected
lists machine, finding id, count and a piece of the title, one per line,
and test/test_e2e_mabs.c checks marslog against it (and that nothing else is
reported at warning or error level).
"""
import io
import random
import struct
import uuid
import zipfile
from datetime import datetime, timedelta, timezone

MACHINE = "mabs01"
DPM_TEMP = "Program Files/Microsoft Azure Backup Server/DPM/DPM/Temp/"
MARS_TEMP = ("Program Files/Microsoft Azure Backup Server/DPM/MARS/"
	"Microsoft Azure Recovery Services Agent/Temp/")
START = datetime(2024, 6, 8, 0, 58, 11, 204000, tzinfo=timezone.utc)


class Trace:
	"""One errlog: records, and the findings they must give."""

	def __init__(self, path, pid, seed):
		self.path = path
		self.pid = pid
		self.rng = random.Random(seed)
		self.lines = []
		self.t = START

	def guid(self):
		return str(uuid.UUID(int=self.rng.getrandbits(128), version=4)).upper()

	def add(self, level, src, msg, *, task="", comp=31, step_ms=None,
		obj=True, expect=None):
		self.t += timedelta(milliseconds=step_ms if step_ms is not None
			else self.rng.randint(40, 9000))
		tid = "%04X" % self.rng.choice((0x1C64, 0x1D08, 0x2A4C, 0x0F3C))
		ptr = "[%016X]" % (0x1A12E3F0 + self.rng.getrandbits(16) * 16) if obj else ""
		f = ["%04X" % self.pid, tid, self.t.strftime("%m/%d"),
			self.t.strftime("%H:%M:%S.") + "%03d" % (self.t.microsecond // 1000),
			"%02d" % comp, src, ptr, task, level, msg]
		self.lines.append(("\t".join(f), expect))

	def data(self):
		text = "".join(l + "\r\n" for l, _ in self.lines)
		return b"\xff\xfe" + text.encode("utf-16-le")


def msdpm():
	t = Trace(DPM_TEMP + "MSDPMCurr.errlog", 0x0E24, 1)
	t.add("NORMAL", "dpmservice.cpp(212)", "DPM service starting, version 14.0.1924.0", obj=False)
	t.add("NORMAL", "TaskExecutor.cs(855)", "Task started: online recovery point creation for SQL01\\MSSQLSERVER\\Sales", task=t.guid())
	job = t.guid()
	t.add("WARNING", "AgentProxy.cs(441)",
		"Failed: Hr: = [0x80070005] : CreateInstance of DPMRA on FS01.contoso.com failed",
		task=job, expect="dpm-0x80070005")
	t.add("WARNING", "AgentProxy.cs(441)",
		"Failed: Hr: = [0x80070005] : CreateInstance of DPMRA on FS02.contoso.com failed",
		task=job, expect="dpm-0x80070005")
	t.add("WARNING", "SqlProtection.cs(1310)",
		"The DPM job failed for SQL Server 2012 database Sales on AG01 because the SQL Server "
		"instance refused a connection to the protection agent (ID: 30172 Details: "
		"Internal error code: 0x80990F75)", task=job, expect="dpm-30172")
	vm = t.guid()
	t.add("NORMAL", "VMWareServer.cs(1826)", "Getting change tracking information for VM APP07 on vcenter01", task=vm, obj=False)
	t.add("WARNING", "VMWareServer.cs(2174)",
		"DPM encountered error from VMware while trying to get ChangeTracking information. "
		"Server - vcenter01 ErrorCode - FileFaultFault (ID: 33621)", task=vm, obj=False,
		expect="dpm-33621")
	hv = t.guid()
	t.add("WARNING", "HyperVBackup.cs(604)",
		"DPM encountered a retryable VSS error. (ID: 30112 Details: VssError:The writer experienced "
		"a transient error. If the backup process is retried, the error may not reoccur. (0x800423F3))",
		task=hv, expect="dpm-30112")
	cloud = t.guid()
	t.add("WARNING", "CloudBackupHelper.cs(377)",
		"Windows Azure Backup Agent was unable to create a snapshot of the selected volume.",
		task=cloud, expect="dpm-100034")
	t.add("WARNING", "CloudBackupHelper.cs(377)",
		"Microsoft Azure Recovery Services Agent has detected inconsistencies while verifying the "
		"latest backup. A new recovery point could not be created. (ID: 34517)",
		task=cloud, expect="dpm-34517")
	t.add("WARNING", "CloudBackupHelper.cs(402)",
		"The Microsoft Azure Backup Agent could not start the scheduled backup. (ID: 100092)",
		task=cloud, expect="code-100092")
	t.add("WARNING", "ReplicaManager.cs(958)",
		"Failed: Hr: = [0x80990ED0] : replica volume preparation did not complete",
		task=cloud, expect="hresult-0x80990ED0")
	t.add("NORMAL", "TaskExecutor.cs(901)", "Task completed: consistency check for E:\\ on FS01", task=t.guid())
	t.add("NORMAL", "dpmservice.cpp(388)", "Verifying access to the replica volume of E:\\ on FS01", obj=False)
	return t


def dpmra():
	t = Trace(DPM_TEMP + "DPMRACurr.errlog", 0x0900, 2)
	t.add("NORMAL", "dpmra.cpp(145)", "DPMRA service started", comp=11, obj=False)
	job = t.guid()
	t.add("NORMAL", "vsssnapshotrequestor.cpp(585)",
		"CVssSnapshotRequestor:: ProviderId:[{B5946137-7B9F-4925-AF80-51ABD60B20D5}], "
		"h/w provider:[0], volume:[\\\\?\\Volume{0c1e2f30-58d8-11df-be86-00155d4e0e00}\\]",
		task=job, comp=11)
	t.add("WARNING", "vsssnapshotrequestor.cpp(1422)",
		"Failed: Hr: = [0x800423F4] : writer 'Microsoft Hyper-V VSS Writer' failed at PostSnapshot",
		task=job, comp=11, expect="hresult-0x800423F4")
	t.add("WARNING", "fsutil.cpp(233)",
		"Failed: Hr: = [0x80070005] : CreateFile on \\\\?\\Volume{0c1e2f30-58d8-11df-be86-00155d4e0e00}\\Shares failed",
		task=job, comp=11, expect="dpm-0x80070005")
	t.add("NORMAL", "dpmra.cpp(410)", "The protection agent on FS01.contoso.com is responding again", comp=11, obj=False)
	return t


def dpmam():
	t = Trace(DPM_TEMP + "DPMAMService0.errlog", 0x1B64, 3)
	t.add("NORMAL", "DpmAmService.cs(88)", "DPMAMService started, listening on port 6075", comp=22, obj=False)
	t.add("WARNING", "DpmAmService.cs(214)",
		"Failed: Hr: = [0x80090322] : authentication of the DPM server connection failed",
		comp=22, obj=False, expect="hresult-0x80090322")
	return t


def cbengine():
	t = Trace(MARS_TEMP + "CBEngineCurr.errlog", 0x0AB0, 4)
	t.add("NORMAL", "cbpservice.cpp(120)", "Microsoft Azure Recovery Services Agent service started, version 2.0.9262.0", comp=71, obj=False)
	job = t.guid()
	t.add("NORMAL", "backupasync.cpp(1279)", "Backup Progress: Prebackup started.", task=job, comp=71)
	t.add("WARNING", "fileprovider.cpp(811)",
		"Failed: Hr: = [0x80070005] BackupRead failed on file(\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy7\\Replica\\sales.mdf)",
		task=job, comp=71, expect="hr-0x80070005")
	t.add("WARNING", "integritycheck.cpp(402)",
		"Microsoft Azure Recovery Services Agent has detected inconsistencies while verifying the "
		"latest backup. A new recovery point could not be created. (ID: 34517)",
		task=job, comp=71, expect="ic-metadata-validation-failure")
	t.add("WARNING", "snapshot.cpp(630)",
		"CBPSourceSnapshotFailed: Windows Azure Backup Agent was unable to create a snapshot of the "
		"selected volume. (ID: 100034)", task=job, comp=71, expect="cbp-source-snapshot-failed")
	return t


def zip_add(z, name, data, mtime):
	zi = zipfile.ZipInfo(name, date_time=mtime.timetuple()[:6])
	zi.compress_type = zipfile.ZIP_DEFLATED
	zi.create_system = 0
	zi.external_attr = 0x20
	zi.extra = struct.pack("<HHBl", 0x5455, 5, 1, int(mtime.timestamp()))
	z.writestr(zi, data, compresslevel=9)


def write(outdir):
	"""Write mabs01.zip and mabs01.expected into outdir."""
	import os
	traces = [msdpm(), dpmra(), dpmam(), cbengine()]
	buf = io.BytesIO()
	with zipfile.ZipFile(buf, "w") as z:
		for t in traces:
			mtime = (t.t + timedelta(seconds=9)).replace(microsecond=0)
			zip_add(z, t.path, t.data(), mtime)
	with open(os.path.join(outdir, MACHINE + ".zip"), "wb") as fp:
		fp.write(buf.getvalue())
	counts = {}
	for t in traces:
		for _, expect in t.lines:
			if expect:
				counts[expect] = counts.get(expect, 0) + 1
	titles = {
		"dpm-0x80070005": "protection agent",
		"dpm-30172": "SQL Server refused",
		"dpm-33621": "VMware change tracking",
		"dpm-30112": "Retryable VSS error",
		"dpm-100034": "snapshot of the replica",
		"dpm-34517": "Online recovery point failed verification",
		"code-100092": "documented for MARS",
		"hresult-0x80990ED0": "FACILITY_DPM (0x99) DPM internal error 0x0ED0",
		"hresult-0x800423F4": "VSS_E_WRITERERROR_NONRETRYABLE",
		"hresult-0x80090322": "SEC_E_WRONG_PRINCIPAL",
		"hr-0x80070005": "Access denied",
		"ic-metadata-validation-failure": "Inconsistencies found",
		"cbp-source-snapshot-failed": "Volume snapshot could not be created",
	}
	with open(os.path.join(outdir, MACHINE + ".expected"), "w", encoding="utf-8") as fp:
		fp.write("# mabs01.expected -- written by samples/mksamples.py (mkmabs.py);\n"
			"# checked by test/test_e2e_mabs.c: machine<TAB>finding id<TAB>count<TAB>"
			"text in its title.\n")
		for k in sorted(counts):
			fp.write("%s\t%s\t%d\t%s\n" % (MACHINE, k, counts[k], titles[k]))
	return counts
