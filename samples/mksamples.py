#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""mksamples.py -- build the sample bundles under samples/ and their EXPECTED results.

Writes, next to this script:
  fs01.zip       one server's MARS Temp folder as a support engineer receives it
                 (UTF-16LE errlogs, failed-files lists, a .Crash copy, a nested zip)
  fs02/Temp/     a second server's folder as a customer copied it (UTF-8 and cp1252
                 re-saves, one UTF-16LE failed-files list, a non-log notes.txt)
  expected.json  the EXPECTED results as data
  README.md      the section between the EXPECTED markers is regenerated

Every expected number is computed from the records this script writes: each record
declares the codes its message is meant to carry and a code extractor that follows
patterns/classify.h checks the rendered text against that declaration, so a message
that accidentally carries a code (or loses one) stops the build.

Deterministic: fixed times, a seeded RNG, fixed zip entry times and attributes, so
rerunning reproduces identical bytes (with the same zlib).  Standard library only.

  python3 samples/mksamples.py              regenerate everything
  python3 samples/mksamples.py --expected   print the EXPECTED section only
"""

import argparse
import io
import json
import os
import random
import re
import struct
import sys
import uuid
import zipfile

import mkmabs
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
UTC = timezone.utc

AGENT_LINE = "Microsoft Azure Recovery Services Agent version %s"
FS01_VERSION = "2.0.9262.0"
FS02_VERSION = "2.0.9249.0"

FAILED_HEADER = "Consider adding these to exclusion list of backup policy."
DASHES = "-" * 103

WIN32_TEXT = {
	"0x80070570": "The file or directory is corrupted and unreadable.",
	"0x80070002": "The system cannot find the file specified.",
	"0x80070003": "The system cannot find the path specified.",
	"0x80070005": "Access is denied.",
	"0x8007018B": "Access to the cloud file is denied.",
}

# Codes used here that patterns/catalog.tsv lists (checked by hand when this was
# written; main() warns if the catalog next door disagrees).  Used for the "in
# catalog" column and to say which code of a multi-code message classify.h's
# priority rule ("a catalog code in message order first") picks.
CATALOG_CODES = {
	"0x8000FFFF", "0x1B7AFBE0",
	"34513", "403", "100050", "130055", "34506", "230006", "100049", "100034",
	"0x80070570", "0x80070002", "0x80070003", "0x80070005", "0x8007018B",
	"0x80780054", "SalChecksumStoreInitializationFailed",
	"SalVhdInitializationError", "SalLowDiskSpace", "SalBitmapError",
}

# Phrases the catalog's text rules recognise (patterns/catalog.tsv); a record
# with one of them and no code is not an "unknown" message.
TEXT_MARKERS = [
	"(407) Proxy Authentication Required",
	"Failed to set the encryption key for secure backups",
	"critical inconsistency was detected",
	"running scripts is disabled on this system",
	"Microsoft-OnlineBackup is disabled",
	"connection attempt failed",
	"process will terminate after generating dump",
	"Import job with name",
]

BENIGN_PREFIX = "Last completed state for Ds Id"


def T(s):
	"""'2024-06-01 22:00:03.120' -> aware UTC datetime."""
	return datetime.strptime(s, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC)


def iso(t):
	return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def ms(n):
	return timedelta(milliseconds=n)


# --------------------------------------------------------------------------
# code extraction, following patterns/classify.h (and research-notes 6.5)

RE_HRESULT = re.compile(r"(?<![0-9A-Za-z])0[xX]([0-9A-Fa-f]{8})(?![0-9A-Za-z])")
RE_HEXID = re.compile(r"[\[(]0[xX]([0-9A-Fa-f]{5})[\])]")
RE_ID = re.compile(r"(?<![A-Za-z])ID\s*[:\uff1a]\s*(\d+)", re.I)
RE_ERRCODE = re.compile(r"failed with error code:\s*([0-9A-Fa-f]{8})(?![0-9A-Za-z])")
RE_ERRNUM = re.compile(r"\bError (\d{5,6})\b")
RE_NAME = re.compile(r"\b((?:Sal|CBP|Cloud|WSB)[A-Z][A-Za-z]+)\b")


def extract_codes(msg):
	"""Normalised codes in message order, each once."""
	found = []
	for m in RE_HRESULT.finditer(msg):
		found.append((m.start(), "0x" + m.group(1).upper()))
	for m in RE_HEXID.finditer(msg):
		found.append((m.start(), str(int(m.group(1), 16))))
	for m in RE_ID.finditer(msg):
		found.append((m.start(), m.group(1)))
	for m in RE_ERRCODE.finditer(msg):
		found.append((m.start(), "0x" + m.group(1).upper()))
	for m in RE_ERRNUM.finditer(msg):
		found.append((m.start(), m.group(1)))
	for m in RE_NAME.finditer(msg):
		found.append((m.start(), m.group(1)))
	out = []
	for _, c in sorted(found):
		if c not in out:
			out.append(c)
	return out


# --------------------------------------------------------------------------
# records and streams


class Rec:
	__slots__ = ("t", "pid", "tid", "comp", "src", "obj", "guid", "level",
		"msg", "codes", "cont", "seq")


class Stream:
	"""All records one process family writes (CBEngine, CBUI, ...) before they
	are cut into files.  `extra` = the extra empty field before LEVEL."""

	def __init__(self, rng, pid, tids, extra):
		self.rng = rng
		self.pid = pid
		self.tids = tids
		self.extra = extra
		self.recs = []
		self.seq = 0
		self.epochs = [(None, pid)]	# (from time, PID): a restart changes the PID

	def add(self, t, comp, src, level, msg, guid="", obj=None, codes=(),
		cont=(), tid=None):
		r = Rec()
		r.t = t
		r.pid = self.pid
		r.tid = tid if tid is not None else self.tids[0]
		r.comp = comp
		r.src = src
		r.obj = obj if obj is not None else ""
		r.guid = guid
		r.level = level
		r.msg = msg
		r.codes = tuple(codes)
		r.cont = tuple(cont)
		r.seq = self.seq
		self.seq += 1
		self.recs.append(r)
		return r

	def restart(self, t, pid):
		self.epochs.append((t, pid))
		self.epochs.sort(key=lambda e: (e[0] is not None, e[0]))

	def sorted(self):
		"""Records in time order, each with the PID of the process that was
		running then (records are added in any order)."""
		out = sorted(self.recs, key=lambda r: (r.t, r.seq))
		for r in out:
			for since, pid in self.epochs:
				if since is None or r.t >= since:
					r.pid = pid
		return out


def render(r, extra):
	f = [r.pid, r.tid, r.t.strftime("%m/%d"),
		r.t.strftime("%H:%M:%S.") + "%03d" % (r.t.microsecond // 1000),
		"%02d" % r.comp, r.src, "[%s]" % r.obj if r.obj else "", r.guid]
	if extra:
		f.append("")
	f += [r.level, r.msg]
	return "\t".join(f)


class Ids:
	"""Deterministic GUIDs and object pointers."""

	def __init__(self, seed):
		self.rng = random.Random(seed)

	def guid(self):
		return str(uuid.UUID(int=self.rng.getrandbits(128), version=4)).upper()

	def vol(self):
		return "{%s}" % str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

	def ptr(self):
		return "00000000%08X" % (self.rng.getrandbits(28) << 4 | 0x10000000)


# --------------------------------------------------------------------------
# job builders

class Job:
	def __init__(self, machine, guid, kind, outcome, hresult=None, note=""):
		self.machine = machine
		self.guid = guid
		self.kind = kind
		self.outcome = outcome
		self.hresult = hresult
		self.note = note
		self.failed_list = None		# file name of its LastBackupFailedFiles list
		self.failed_files = 0
		self.list_written = None	# time of the "Writing ... failed files" line


def backup_job(st, ids, job, start, *, ds=1, total_mb=20000, chunks=24,
	xfer_minutes=150, transfer_events=(), fail=None, failed_list=None,
	offline=None):
	"""Emit one backup job.  transfer_events: (index, level, comp, src, msg,
	codes) placed after progress chunk `index`.  fail: dict(phase, lines) with
	phase 'storage' or 'transfer' and lines [(level, comp, src, msg, codes)].
	failed_list: (name, count) written before Succeeded.  offline: list of
	lines for the offline (Import job) phase, which ends the job."""
	g = job.guid
	o = ids.ptr()
	ofp = ids.ptr()
	odsm = ids.ptr()
	tid = st.rng.choice(st.tids[1:])
	t = start

	def a(level, comp, src, msg, obj=o, codes=(), step=0):
		nonlocal t
		t += ms(step)
		st.add(t, comp, src, level, msg, guid=g, obj=obj, codes=codes, tid=tid)

	def bp(line, msg, step=0):
		a("NORMAL", 71, "backupasync.cpp(%d)" % line, "Backup Progress: " + msg,
			step=step)

	def state(n):
		a("WARNING", 71, "backupasync.cpp(2716)",
			"%s %d is %d" % (BENIGN_PREFIX, ds, n), step=3)

	def failure():
		for level, comp, src, msg, codes in fail["lines"]:
			a(level, comp, src, msg, obj=o if ".cpp" in src else "",
				codes=codes, step=st.rng.randint(40, 900))
		bp(1352, "Failed", step=12)
		bp(1345, "UnInitialize Storage started.", step=40)
		bp(1347, "UnInitialize Storage finsihed.", step=st.rng.randint(20000, 90000))

	a("NORMAL", 71, "backupasync.cpp(412)", "==>CBackupAsync::Execute")
	bp(1279, "Prebackup started.", step=2)
	a("NORMAL", 31, "vsssnapshotrequestor.cpp(585)",
		"CVssSnapshotRequestor:: ProviderId:[{B5946137-7B9F-4925-AF80-51ABD60B20D5}], "
		"h/w provider:[0], volume:[\\\\?\\Volume%s\\]" % ids.vol(), obj=ids.ptr(),
		step=st.rng.randint(4000, 9000))
	state(2)
	bp(1281, "Prebackup finished.", step=st.rng.randint(8000, 14000))
	bp(1284, "Start: Adjusting Job start time from snapshot time")
	bp(1287, "End: Adjusting Job start time from snapshot time")
	bp(1292, "Initialize Storage started.")
	if fail and fail["phase"] == "storage":
		failure()
		return t
	bp(1295, "Initialize Storage finished.", step=st.rng.randint(60000, 110000))
	bp(1299, "Data transfer started.")
	state(5)
	done = 0
	per = total_mb // chunks
	gap = xfer_minutes * 60000 // (chunks + 1)
	events = sorted(transfer_events, key=lambda e: e[0])
	for i in range(chunks):
		done = min(total_mb, done + per + st.rng.randint(-per // 5, per // 5))
		n = 500 if i % 3 else st.rng.randint(120, 499)
		a("NORMAL", 70, "itemcatalogupdater.cpp(652)", "Uploading %d RO entries" % n,
			obj="", step=gap + st.rng.randint(-5000, 5000))
		a("NORMAL", 71, "backupasync.cpp(2044)",
			"Data transfer progress: %d MB of %d MB transferred" % (done, total_mb),
			step=st.rng.randint(50, 400))
		if i % 4 == 1:
			a("NORMAL", 33, "dsmfilter.cpp(1877)", "==>CDsmFilter::FlushChangedBlocks",
				obj=odsm, step=st.rng.randint(5, 90))
			a("NORMAL", 33, "dsmfilter.cpp(1921)",
				"<--CDsmFilter::FlushChangedBlocks (%d blocks)" % st.rng.randint(900, 64000),
				obj=odsm, step=st.rng.randint(100, 3000))
		for ev in [e for e in events if e[0] == i]:
			_, level, comp, src, msg, codes = ev
			a(level, comp, src, msg, obj=o if ".cpp" in src else "", codes=codes,
				step=st.rng.randint(200, 20000))
		if fail and fail["phase"] == "transfer" and i == fail.get("after", chunks // 2):
			failure()
			return t
	a("NORMAL", 32, "fileprovider.cpp(1479)", "==>FileProvider::EndData", obj=ofp,
		step=st.rng.randint(1000, 9000))
	a("NORMAL", 32, "fileprovider.cpp(1479)", "<--FileProvider::EndData", obj=ofp,
		step=st.rng.randint(3000, 9000))
	bp(1302, "Data transfer finished", step=st.rng.randint(100, 900))
	state(6)
	if offline:
		for level, comp, src, msg, codes, obj in offline:
			a(level, comp, src, msg, obj=obj, codes=codes, step=st.rng.randint(30, 60000))
		bp(1345, "UnInitialize Storage started.", step=40)
		bp(1347, "UnInitialize Storage finsihed.", step=st.rng.randint(20000, 90000))
		return t
	bp(1326, "Integrity Check Storage Initialize started.")
	bp(1329, "Integrity Check Storage Initialize finished.", step=st.rng.randint(500, 3000))
	bp(1332, "Integrity Check started.")
	state(7)
	bp(1334, "Integrity Check finsihed.", step=st.rng.randint(600000, 1500000))
	if failed_list:
		name, count = failed_list
		a("NORMAL", 71, "backupasync.cpp(2290)",
			"Writing %d failed file entries to C:\\Program Files\\Microsoft Azure "
			"Recovery Services Agent\\Temp\\%s" % (count, name), step=800)
		job.list_written = t
	bp(1338, "Succeeded", step=st.rng.randint(4000, 9000))
	bp(1345, "UnInitialize Storage started.")
	bp(1347, "UnInitialize Storage finsihed.", step=st.rng.randint(60000, 160000))
	a("NORMAL", 71, "backupasync.cpp(433)", "<--CBackupAsync::Execute", step=15)
	return t


def restore_job(st, ids, job, start):
	"""An item-level restore.  The milestone wording is inferred: no public
	source shows restore milestones."""
	g = job.guid
	o = ids.ptr()
	tid = st.tids[1]
	t = start

	def a(level, comp, src, msg, obj=o, step=0):
		nonlocal t
		t += ms(step)
		st.add(t, comp, src, level, msg, guid=g, obj=obj, tid=tid)

	def rp(line, msg, step=0):
		a("NORMAL", 72, "recoveryasync.cpp(%d)" % line, "Recovery Progress: " + msg,
			step=step)

	rp(611, "Prerecovery started.")
	rp(640, "Mount recovery volume started.", step=4200)
	a("NORMAL", 74, "iscsiinitiator.cpp(233)", "==>CIscsiInitiator::LoginTarget",
		obj=ids.ptr(), step=900)
	a("WARNING", 74, "iscsiinitiator.cpp(301)",
		"Microsoft iSCSI Initiator service is not running, starting it and retrying login",
		obj=ids.ptr(), step=5100)
	a("NORMAL", 74, "iscsiinitiator.cpp(240)", "<--CIscsiInitiator::LoginTarget",
		obj=ids.ptr(), step=14800)
	rp(652, "Mount recovery volume finished.", step=61000)
	rp(660, "Data transfer started.", step=300)
	for i in range(6):
		a("NORMAL", 72, "recoveryasync.cpp(1120)",
			"Recovered %d of 412 items to D:\\Restore\\Finance" % (70 * (i + 1) if i < 5 else 412),
			step=180000 + 1000 * i)
	rp(671, "Data transfer finished", step=400)
	rp(690, "Succeeded", step=200)
	rp(702, "Dismount recovery volume finished.", step=9000)
	return t


def heartbeat(st, start, end, every_min, comp, src, pairs, tid=None, jitter=3000,
	obj=""):
	"""Background lines without a task GUID, every `every_min` minutes.
	pairs: list of messages written one after the other."""
	t = start
	i = 0
	while t < end:
		u = t + ms(st.rng.randint(0, jitter))
		for k, msg in enumerate(pairs[i % len(pairs)]):
			st.add(u + ms(k * st.rng.randint(1, 40)), comp, src[k % len(src)], "NORMAL",
				msg, obj=obj, tid=tid)
		t += timedelta(minutes=every_min)
		i += 1


def service_start(st, ids, t, version, pid=None, more=()):
	"""Start-up block of CBEngine: no task GUID, the agent version line."""
	if pid:
		st.restart(t, pid)
	o = ids.ptr()
	lines = [
		(1, "cbengine.cpp(214)", "==>CCBEngine::Initialize"),
		(1, "cbengine.cpp(231)", AGENT_LINE % version),
		(5, "configmanager.cpp(118)", "Install path: C:\\Program Files\\Microsoft Azure Recovery Services Agent\\"),
		(5, "configmanager.cpp(142)", "Scratch location: C:\\Program Files\\Microsoft Azure Recovery Services Agent\\Scratch"),
		(5, "configmanager.cpp(160)", "Reading CBSettings.xml from the scratch location"),
		(45, "salchecksumstore.cpp(97)", "==>CSalChecksumStore::Open"),
		(45, "salchecksumstore.cpp(131)", "<--CSalChecksumStore::Open"),
		(12, "jobscheduler.cpp(388)", "Registered 1 backup schedule(s) with the task scheduler"),
	] + list(more) + [
		(1, "cbengine.cpp(305)", "<--CCBEngine::Initialize"),
	]
	for comp, src, msg in lines:
		st.add(t, comp, src, "NORMAL", msg, obj=o)
		t += ms(st.rng.randint(3, 700))
	return t


# --------------------------------------------------------------------------
# files

class OutFile:
	"""One file of a bundle: its lines (records + continuations), encoding."""

	def __init__(self, machine, path, encoding, kind):
		self.machine = machine
		self.path = path		# as shown: "Temp/CBEngineCurr.errlog", ...
		self.encoding = encoding	# utf-16le | utf-8 | cp1252
		self.kind = kind		# errlog | failed-files | other
		self.lines = []			# (text, Rec or None)
		self.items = []			# failed-file items (path, code, text)
		self.truncate_last = None	# keep only this many chars of the last line
		self.mtime = None
		self.data = b""

	def add_records(self, recs, extra):
		for r in recs:
			self.lines.append((render(r, extra), r))
			for c in r.cont:
				self.lines.append((c, None))

	def encode(self):
		texts = [x[0] for x in self.lines]
		if self.truncate_last is not None:
			texts[-1] = texts[-1][:self.truncate_last]
			body = "\r\n".join(texts)
		else:
			body = "\r\n".join(texts) + "\r\n"
		if self.encoding == "utf-16le":
			self.data = b"\xff\xfe" + body.encode("utf-16-le")
		else:
			self.data = body.encode(self.encoding)
		return self.data

	def shown_lines(self):
		"""(line number, text, Rec) as a reader sees them (last line cut)."""
		out = []
		for i, (text, r) in enumerate(self.lines):
			if self.truncate_last is not None and i == len(self.lines) - 1:
				text = text[:self.truncate_last]
			out.append((i + 1, text, r))
		return out


def failed_list_file(machine, path, items, style):
	f = OutFile(machine, path, "utf-16le", "failed-files")
	if style == "joined":
		f.lines.append((FAILED_HEADER + "-" * 46, None))
	else:
		f.lines.append((FAILED_HEADER, None))
		f.lines.append((DASHES, None))
	for p, code in items:
		f.lines.append(("%s\t%s\t%s" % (p, code.lower() if code != "0x8007018B" else "0x8007018b",
			WIN32_TEXT[code]), None))
		f.items.append((p, code))
	if style != "open":
		f.lines.append((DASHES, None))
	return f


def cut(recs, lo, hi):
	return [r for r in recs if (lo is None or r.t >= lo) and (hi is None or r.t < hi)]


# --------------------------------------------------------------------------
# fs01

def build_fs01():
	ids = Ids(20240601)
	rng = random.Random(611)
	eng = Stream(rng, "0AB0", ["0974", "1B3C", "0E58", "2210"], extra=True)
	ui = Stream(random.Random(612), "0C3C", ["0D10", "1F08"], extra=False)
	gw = Stream(random.Random(613), "0F10", ["1A44", "0B20"], extra=False)
	jobs = []
	other_guids = {}

	# ---- CBEngine: background and services
	t_start = T("2024-06-01 08:00:00.000")
	t_stop = T("2024-06-09 02:55:00.000")
	t_curr = T("2024-06-09 03:05:12.417")
	t_crash = T("2024-06-09 03:12:44.690")
	t_restart = T("2024-06-09 03:13:41.052")
	t_end = T("2024-06-09 23:55:00.000")
	service_start(eng, ids, t_start, FS01_VERSION)
	svc = ids.ptr()
	beats = [["==>CCBEngine::OnIdleTimer", "<--CCBEngine::OnIdleTimer"],
		["Checking for pending jobs: 0 queued, next scheduled run in %d s" % s
			for s in (900,)],
		["==>CCBEngine::OnIdleTimer", "<--CCBEngine::OnIdleTimer"],
		["Metadata VHD C:\\Program Files\\Microsoft Azure Recovery Services Agent\\"
			"Scratch\\VHDs\\Catalog.vhdx is mounted"]]
	heartbeat(eng, t_start + timedelta(minutes=37), t_stop, 60, 1,
		["cbengine.cpp(860)", "cbengine.cpp(871)"], beats, tid="0974", obj=svc)
	heartbeat(eng, t_curr + timedelta(minutes=20), t_end, 60, 1,
		["cbengine.cpp(860)", "cbengine.cpp(871)"], beats, tid="0974", obj=svc)
	# shutdown before the reboot of 06/09
	o = ids.ptr()
	for k, msg in enumerate(["Service stop requested (system shutdown)",
			"==>CCBEngine::Uninitialize", "<--CCBEngine::Uninitialize"]):
		eng.add(t_stop + ms(400 * k), 1, "cbengine.cpp(%d)" % (520 + k), "NORMAL", msg, obj=o)

	# unknown FATAL template, repeated with other numbers and GUIDs
	def stall(t, pages, msec, retry):
		eng.add(t, 70, "catalogstore.cpp(1408)", "FATAL",
			"CatalogStore::FlushPendingPages: flush of %d pages stalled for %d ms on volume %s, "
			"retry %d of 5" % (pages, msec, ids.vol(), retry), obj=ids.ptr())

	stall(T("2024-06-02 14:22:07.311"), 1834, 9120, 2)
	stall(T("2024-06-04 16:05:51.002"), 402, 15337, 1)
	stall(T("2024-06-06 11:48:30.770"), 77, 30015, 4)
	stall(T("2024-06-09 13:30:12.905"), 2950, 12004, 3)

	# scratch / SAL problems outside jobs
	eng.add(T("2024-06-02 07:15:42.180"), 45, "salchecksumstore.cpp(214)", "WARNING",
		"SalChecksumStoreInitializationFailed: Microsoft Azure Recovery Services Agent was unable "
		"to access backup checksum stored in scratch location C:\\Program Files\\Microsoft Azure "
		"Recovery Services Agent\\Scratch\\ChecksumStore, will retry in 60 s",
		obj=ids.ptr(), codes=["SalChecksumStoreInitializationFailed"])
	eng.add(T("2024-06-02 07:16:43.001"), 45, "salchecksumstore.cpp(131)", "NORMAL",
		"Checksum store opened after 1 retry", obj=ids.ptr())
	eng.add(T("2024-06-04 09:30:19.640"), 46, "salvhd.cpp(377)", "FATAL",
		"SalVhdInitializationError: Microsoft Azure Recovery Services Agent was unable to access "
		"the scratch location to initialize VHD C:\\Program Files\\Microsoft Azure Recovery "
		"Services Agent\\Scratch\\VHDs\\Catalog.vhdx", obj=ids.ptr(),
		codes=["SalVhdInitializationError"])

	# J1: succeeded (CBEngine2, in older-logs.zip)
	j = Job("fs01", ids.guid(), "backup", "succeeded", note="in CBEngine2.errlog (nested zip)")
	backup_job(eng, ids, j, T("2024-06-01 19:30:03.120"), ds=1, total_mb=18400,
		chunks=16, xfer_minutes=70)
	jobs.append(j)

	# J2: failed, access denied; leaves a short failed-files list
	j = Job("fs01", ids.guid(), "backup", "failed", "0x80070005")
	j.failed_list = "LastBackupFailedFiles17af1_6_3_2024.txt"
	backup_job(eng, ids, j, T("2024-06-03 19:30:05.004"), ds=1, total_mb=19100,
		chunks=12, xfer_minutes=60,
		transfer_events=[(1, "WARNING", 31, "vsssnapshotrequestor.cpp(1194)",
			"Microsoft Azure Recovery Services Agent was unable to create a snapshot of "
			"the selected volume, retrying (attempt 2 of 3) [0x186C2]", ["100034"])],
		fail=dict(phase="transfer", after=4, lines=[
			("NORMAL", 71, "backupasync.cpp(2290)",
				"Writing 5 failed file entries to C:\\Program Files\\Microsoft Azure "
				"Recovery Services Agent\\Temp\\" + j.failed_list, ()),
			("WARNING", 71, "backupasync.cpp(1184)",
				"Failed: Hr: = [0x80070005] Unable to open the metadata VHD "
				"C:\\Program Files\\Microsoft Azure Recovery Services Agent\\Scratch\\VHDs\\"
				"Catalog.vhdx for writing: Access is denied.", ["0x80070005"])]))
	jobs.append(j)
	j.list_written = [r.t for r in eng.recs if r.guid == j.guid and "Writing 5" in r.msg][0]

	# J3: succeeded, spans CBEngine1.errlog -> CBEngine0.errlog
	j = Job("fs01", ids.guid(), "backup", "succeeded",
		note="starts in CBEngine1.errlog, ends in CBEngine0.errlog")
	backup_job(eng, ids, j, T("2024-06-05 19:30:04.388"), ds=1, total_mb=26800,
		chunks=20, xfer_minutes=170,
		transfer_events=[(2, "WARNING", 47, "salbitmap.cpp(702)",
			"SalBitmapError: Unable to find changes in a file. This could be due to various "
			"reasons. Falling back to a full scan of volume D:", ["SalBitmapError"])])
	jobs.append(j)

	# J4: failed, SalLowDiskSpace
	j = Job("fs01", ids.guid(), "backup", "failed", "0x80070070")
	backup_job(eng, ids, j, T("2024-06-06 19:30:02.251"), ds=1,
		fail=dict(phase="storage", lines=[
			("WARNING", 45, "salstorage.cpp(455)",
				"Failed: Hr: = [0x80070070] SalLowDiskSpace: backup failed due to insufficient "
				"storage in volume C: where the scratch folder is located (1.21 GB free, "
				"4.80 GB required)", ["0x80070070", "SalLowDiskSpace"])]))
	jobs.append(j)

	# J5: completed with warnings, the big failed-files list
	fl_items = []
	big = [
		("D:\\Shares\\Finance\\2024\\Q2\\ledger-%02d.xlsx", "0x80070005", 9),
		("D:\\Shares\\Projects\\Archive\\site-survey-%02d.dwg", "0x80070570", 7),
		("D:\\Shares\\Projects\\Temp\\render-%02d.tmp", "0x80070002", 6),
		("D:\\Shares\\Scans\\Inbox\\batch-%02d\\scan.pdf", "0x80070003", 5),
		("C:\\Users\\jdoe\\OneDrive - Contoso\\Documents\\notes-%02d.docx", "0x8007018B", 6),
	]
	for pat, code, n in big:
		for i in range(n):
			fl_items.append((pat % (i + 1), code))
	fl_items.insert(4, ("\\\\?\\D:\\Shares\\Projects\\Very Long Client Name & Partners "
		"(Holdings) Ltd\\2019\\Correspondence\\Re Re Fwd contract draft v7 final FINAL.msg",
		"0x80070003"))
	fl_items.insert(11, ("D:\\Shares\\Finance\\locked\\payroll.xlsx", "0x80070005"))
	j = Job("fs01", ids.guid(), "backup", "completed-with-warnings")
	j.failed_list = "LastBackupFailedFiles17af1_6_8_2024.txt"
	per_file = [
		(2, "WARNING", 18, "mtffile.cpp(1372)",
			"Failed: Hr: = [0x8000ffff] BackupRead failed on file(D:\\Shares\\Projects\\"
			"Archive\\L O A N   AGREEMENT\\Loan Agreement Oct 02.DOC)", ["0x8000FFFF"]),
		(2, "WARNING", 18, "mtffile.cpp(1372)",
			"Failed: Hr: = [0x8000ffff] BackupRead failed on file(D:\\Shares\\Projects\\"
			"Archive\\MatrixLoan July 03 ChTV_files\\editdata.mso)", ["0x8000FFFF"]),
		(5, "WARNING", 18, "mtffile.cpp(1390)",
			"Failed: Hr: = [0x80070570] BackupRead failed on file(D:\\Shares\\Projects\\"
			"Archive\\site-survey-01.dwg)", ["0x80070570"]),
		(5, "WARNING", 18, "mtffile.cpp(1390)",
			"Failed: Hr: = [0x80070570] BackupRead failed on file(D:\\Shares\\Projects\\"
			"Archive\\site-survey-02.dwg)", ["0x80070570"]),
		(8, "WARNING", 32, "fileprovider.cpp(2210)",
			"Failed: Hr: = [0x80070002] CreateFile failed on file(D:\\Shares\\Projects\\Temp\\"
			"render-01.tmp)", ["0x80070002"]),
		(8, "WARNING", 32, "fileprovider.cpp(2210)",
			"Failed: Hr: = [0x80070003] FindFirstFile failed on folder(D:\\Shares\\Scans\\Inbox\\"
			"batch-01)", ["0x80070003"]),
		(11, "WARNING", 32, "fileprovider.cpp(2210)",
			"Failed: Hr: = [0x80070005] CreateFile failed on file(D:\\Shares\\Finance\\locked\\"
			"payroll.xlsx)", ["0x80070005"]),
		(11, "WARNING", 32, "fileprovider.cpp(2210)",
			"Failed: Hr: = [0x80070005] CreateFile failed on file(D:\\Shares\\Finance\\2024\\Q2\\"
			"ledger-01.xlsx)", ["0x80070005"]),
		(14, "WARNING", 32, "fileprovider.cpp(2210)",
			"Failed: Hr: = [0x8007018b] CreateFile failed on file(C:\\Users\\jdoe\\OneDrive - "
			"Contoso\\Documents\\notes-01.docx)", ["0x8007018B"]),
		(17, "WARNING", 33, "dsmreader.cpp(845)",
			"A critical inconsistency was detected, therefore changes cannot be replicated. "
			"Folder D:\\Shares\\Projects\\Current was deleted and re-created under the same name",
			()),
	]
	backup_job(eng, ids, j, T("2024-06-08 19:30:01.733"), ds=1, total_mb=24300,
		chunks=20, xfer_minutes=120, transfer_events=per_file,
		failed_list=(j.failed_list, len(fl_items)))
	jobs.append(j)

	# CBEngineCurr: restart after the reboot, crash, restart again
	t = service_start(eng, ids, t_curr, FS01_VERSION, pid="1F44", more=[
		(5, "configmanager.cpp(171)", "CBSettings.xml: 14 settings read"),
		(12, "jobscheduler.cpp(402)", "Next scheduled backup: policy 17af1, daily"),
	])
	for k in range(24):
		eng.add(t + timedelta(seconds=16 * k), 1, "cbengine.cpp(860)", "NORMAL",
			["==>CCBEngine::OnIdleTimer", "<--CCBEngine::OnIdleTimer",
				"Checking for pending jobs: 0 queued, next scheduled run in %d s" % (58800 - 16 * k)][k % 3],
			obj="", tid="0974")
	cg = ids.guid()
	other_guids[cg] = "settings reload that crashed CBEngine (CBEngineCurr, the .Crash copy)"
	exc = [
		"Exception while reloading settings: System.FormatException: Input string was not in a correct format.",
		"   at System.Number.StringToNumber(String str, NumberStyles options, NumberBuffer& number, NumberFormatInfo info, Boolean parseDecimal)",
		"   at System.Number.ParseInt32(String s, NumberStyles style, NumberFormatInfo info)",
		"   at Microsoft.Internal.EnterpriseStorage.Dls.Settings.SettingsReader.ReadInt32(XmlNode node, String name)",
		"   at Microsoft.Internal.EnterpriseStorage.Dls.Settings.SettingsReader.Reload()",
	]
	for k, msg in enumerate(exc):
		eng.add(t_crash - ms(120 - k), 9, "SettingsReader.cs(214)", "WARNING", msg, guid=cg,
			tid="1B3C")
	crash = eng.add(t_crash, 9, "everettexception.cpp(761)", "CRITICAL",
		"Exception Message = Input string was not in a correct format. of type "
		"System.FormatException, process will terminate after generating dump",
		guid=cg, tid="1B3C")
	t = service_start(eng, ids, t_restart, FS01_VERSION, pid="2A1C")

	eng.add(T("2024-06-09 09:02:33.118"), 12, "jobscheduler.cpp(611)", "WARNING",
		"Failed: Hr: = [0x8007052E] Unable to validate the credentials of the scheduled backup "
		"task account CONTOSO\\svc-backup: The user name or password is incorrect.",
		obj=ids.ptr(), codes=["0x8007052E"])

	# R1: restore (inferred milestones)
	j = Job("fs01", ids.guid(), "restore", "succeeded", note="restore milestones are inferred")
	restore_job(eng, ids, j, T("2024-06-09 10:15:20.500"))
	jobs.append(j)

	# J6: succeeded
	j = Job("fs01", ids.guid(), "backup", "succeeded")
	backup_job(eng, ids, j, T("2024-06-09 19:30:06.090"), ds=1, total_mb=21700,
		chunks=14, xfer_minutes=65)
	jobs.append(j)

	# ---- CBUI: registration day, then single console sessions
	ui_obj = ""

	def uil(t, comp, src, level, msg, guid="", codes=(), cont=()):
		ui.add(t, comp, src, level, msg, guid=guid, obj=ui_obj, codes=codes, cont=cont,
			tid=ui.tids[0])

	def ui_session(t, n, label):
		"""Console start-up chatter, no task GUID."""
		msgs = ["==>MainForm::OnLoad", "Connecting to OBEngine service",
			"Connected to OBEngine service", "==>MainForm::RefreshJobsView",
			"<--MainForm::RefreshJobsView (%s)" % label, "<--MainForm::OnLoad",
			"==>DashboardControl::LoadSchedule", "<--DashboardControl::LoadSchedule"]
		for k in range(n):
			uil(t, 81, "MainForm.cs(%d)" % (120 + 7 * (k % len(msgs))), "NORMAL",
				msgs[k % len(msgs)])
			t += ms(ui.rng.randint(20, 900))
		return t

	t = ui_session(T("2024-05-31 14:02:11.204"), 16, "first start")
	rg = ids.guid()
	other_guids[rg] = "CBUI: Register Server wizard, 05/31"
	steps = [
		(80, "RegisterServerWizard.cs(88)", "NORMAL", "==>RegisterServerWizard::ValidateVaultCredentials", ()),
		(80, "VaultCredentialsHelper.cs(241)", "NORMAL",
			"Reading vault credentials file C:\\Users\\admin\\Downloads\\rsv-contoso-weu_Wed May 29 2024.VaultCredentials", ()),
		(80, "VaultCredentialsHelper.cs(310)", "FATAL",
			"Invalid vault credentials provided. The file is either corrupted or does not have the "
			"latest credentials associated with recovery service. (ID: 34513)", ("34513",)),
		(80, "RegisterServerWizard.cs(97)", "NORMAL", "<--RegisterServerWizard::ValidateVaultCredentials", ()),
		(80, "VaultCredentialsHelper.cs(188)", "WARNING",
			"\u672a\u80fd\u4e0b\u8f7d\u4fdd\u7ba1\u5e93\u51ed\u636e\u6587\u4ef6\u3002 \uff08ID\uff1a403\uff09", ("403",)),
	]
	for comp, src, level, msg, codes in steps:
		t += ms(ui.rng.randint(300, 40000))
		uil(t, comp, src, level, msg, guid=rg, codes=codes)
	t = T("2024-05-31 14:35:02.771")
	for comp, src, level, msg, codes, cont in [
		(80, "RegisterServerWizard.cs(88)", "NORMAL", "==>RegisterServerWizard::ValidateVaultCredentials", (), ()),
		(83, "ServiceConnection.cs(402)", "WARNING",
			"System.Net.WebException: The remote server returned an error: (407) Proxy Authentication Required.", (), ()),
		(83, "ServiceConnection.cs(402)", "WARNING",
			"   at System.Net.HttpWebRequest.GetResponse()", (), ()),
		(80, "RegisterServerWizard.cs(131)", "FATAL",
			"Microsoft Azure Recovery Services Agent was unable to connect to Microsoft Azure Backup. ID: 100050",
			("100050",),
			("Check your network settings and ensure that you are able to connect to the internet.",)),
		(80, "RegisterServerWizard.cs(97)", "NORMAL", "<--RegisterServerWizard::ValidateVaultCredentials", (), ()),
		(80, "ProxyConfigPage.cs(57)", "NORMAL", "Proxy settings saved: proxy.contoso.local:8080, authentication on", (), ()),
	]:
		t += ms(ui.rng.randint(300, 30000))
		uil(t, comp, src, level, msg, guid=rg, codes=codes, cont=cont)
	t = T("2024-05-31 15:10:40.029")
	for comp, src, level, msg, codes in [
		(80, "RegisterServerWizard.cs(88)", "NORMAL", "==>RegisterServerWizard::ValidateVaultCredentials", ()),
		(80, "RegisterServerWizard.cs(97)", "NORMAL", "<--RegisterServerWizard::ValidateVaultCredentials", ()),
		(80, "RegisterServerWizard.cs(204)", "NORMAL", "==>RegisterServerWizard::ActivateServer", ()),
		(80, "RegisterServerWizard.cs(262)", "FATAL",
			"The activation did not complete successfully. The current operation failed due to an "
			"internal service error [0x1FC07]. Please retry the operation after some time. If the "
			"issue persists, please contact Microsoft support.", ("130055",)),
		(80, "RegisterServerWizard.cs(231)", "NORMAL", "<--RegisterServerWizard::ActivateServer", ()),
	]:
		t += ms(ui.rng.randint(300, 30000))
		uil(t, comp, src, level, msg, guid=rg, codes=codes)
	t = T("2024-05-31 15:40:13.662")
	for comp, src, level, msg, codes in [
		(80, "RegisterServerWizard.cs(204)", "NORMAL", "==>RegisterServerWizard::ActivateServer", ()),
		(84, "EncryptionSettingsPage.cs(311)", "FATAL",
			"Failed to set the encryption key for secure backups. Activation did not succeed "
			"completely but the encryption passphrase was saved to the following file: "
			"C:\\Users\\admin\\Documents\\MARS-passphrase.txt", ()),
		(80, "RegisterServerWizard.cs(231)", "NORMAL", "<--RegisterServerWizard::ActivateServer", ()),
	]:
		t += ms(ui.rng.randint(300, 30000))
		uil(t, comp, src, level, msg, guid=rg, codes=codes)
	t = T("2024-05-31 16:05:27.310")
	for comp, src, level, msg, codes in [
		(84, "EncryptionSettingsPage.cs(190)", "NORMAL", "==>EncryptionSettingsPage::ValidatePassphrase", ()),
		(84, "EncryptionSettingsPage.cs(236)", "FATAL",
			"Error 34506. The encryption passphrase stored on this computer is not correctly "
			"configured. (ID: 34506)", ("34506",)),
		(84, "EncryptionSettingsPage.cs(199)", "NORMAL", "<--EncryptionSettingsPage::ValidatePassphrase", ()),
	]:
		t += ms(ui.rng.randint(300, 30000))
		uil(t, comp, src, level, msg, guid=rg, codes=codes)
	t = T("2024-05-31 16:31:02.004")
	for msg in ["==>RegisterServerWizard::ActivateServer", "Server registered to vault rsv-contoso-weu",
			"<--RegisterServerWizard::ActivateServer"]:
		t += ms(ui.rng.randint(300, 9000))
		uil(t, 80, "RegisterServerWizard.cs(240)", "NORMAL", msg, guid=rg)
	t = ui_session(T("2024-06-01 09:12:40.118"), 16, "0 jobs")
	pol = ids.guid()
	other_guids[pol] = "CBUI: Schedule Backup wizard, 06/01"
	uil(t + ms(2500), 85, "SchedulePolicyWizard.cs(402)", "NORMAL",
		"Saving policy 17af1:", guid=pol,
		cont=("  Items: D:\\Shares, C:\\Users\\jdoe; schedule daily 19:30 UTC; retention 30 days",))
	uil(t + ms(3100), 85, "SchedulePolicyWizard.cs(415)", "NORMAL", "Policy 17af1 saved", guid=pol)
	t = ui_session(T("2024-06-08 20:31:05.550"), 12, "1 running")
	uil(t + ms(4000), 81, "BackupNowWizard.cs(77)", "WARNING",
		"The operation attempted cannot be performed at this time because a backup or restore "
		"operation is currently in progress. (ID: 100049)", codes=("100049",))
	t = ui_session(T("2024-06-09 08:55:19.901"), 16, "5 jobs")
	uil(t + ms(1200), 82, "PSScheduledTask.cs(211)", "WARNING",
		"Scheduled backup did not start on 06/07: the trigger of task "
		"\\Microsoft\\OnlineBackup\\Microsoft-OnlineBackup is disabled")
	uil(t + ms(1800), 82, "PSScheduledTask.cs(260)", "WARNING",
		"Start-OBBackup failed in the scheduled task: Import-Module : File C:\\Program Files\\"
		"Microsoft Azure Recovery Services Agent\\bin\\Modules\\MSOnlineBackup\\"
		"MSOnlineBackup.psd1 cannot be loaded because running scripts is disabled on this system.")
	t = ui_session(T("2024-06-09 10:13:51.377"), 16, "recover data")
	for k in range(20):
		uil(t, 86, "RecoverDataWizard.cs(%d)" % (60 + 9 * (k % 5)), "NORMAL",
			["==>RecoverDataWizard::LoadRecoveryPoints", "Found %d recovery points" % (5 + k % 3),
				"<--RecoverDataWizard::LoadRecoveryPoints", "Selected volume D: for recovery",
				"Waiting for the recovery volume to mount"][k % 5])
		t += ms(ui.rng.randint(500, 90000))
	ui_session(T("2024-06-09 21:02:44.810"), 16, "6 jobs")

	# ---- GatewayProvider (management agent)
	gs, ge = T("2024-06-05 00:10:00.000"), T("2024-06-09 23:40:00.000")
	heartbeat(gw, gs, ge, 60, 90, ["GatewayProvider.cs(318)", "GatewayProvider.cs(352)"],
		[["==>GatewayProvider::SyncJobStatus", "<--GatewayProvider::SyncJobStatus: 0 job updates sent"],
			["Heartbeat sent to pod01-prot1.weu.backup.windowsazure.com:443"]], tid="1A44")
	t = T("2024-06-07 10:02:11.090")
	gw.add(t, 91, "HttpTransport.cs(144)", "WARNING",
		"System.Net.WebException: The remote server returned an error: (407) Proxy Authentication Required.",
		tid="0B20")
	for k in range(3):
		t += timedelta(seconds=61 + 60 * k)
		gw.add(t, 91, "HttpTransport.cs(201)", "WARNING",
			"Failed: Hr: = [0x80072EE2] WinHttpSendRequest to pod01-prot1.weu.backup.windowsazure.com "
			"failed: The operation timed out (attempt %d of 3)" % (k + 1), codes=["0x80072EE2"],
			tid="0B20")
	gw.add(t + ms(900), 91, "HttpTransport.cs(214)", "WARNING",
		"A connection attempt failed because the connected party did not properly respond after "
		"a period of time, or established connection failed because connected host has failed "
		"to respond 40.126.0.17:443", tid="0B20")
	gw.add(t + timedelta(minutes=5), 91, "HttpTransport.cs(230)", "NORMAL",
		"Connection to pod01-prot1.weu.backup.windowsazure.com:443 restored", tid="0B20")

	# ---- cut into files
	recs = eng.sorted()
	c2 = T("2024-06-03 05:41:17.000")
	c1 = T("2024-06-05 21:02:17.000")
	c0 = T("2024-06-09 03:00:00.000")
	files = {}

	def errlog(path, stream, recs_):
		f = OutFile("fs01", path, "utf-16le", "errlog")
		f.add_records(recs_, stream.extra)
		files[path] = f
		return f

	errlog("Temp/older-logs.zip!CBEngine2.errlog", eng, cut(recs, None, c2))
	errlog("Temp/CBEngine1.errlog", eng, cut(recs, c2, c1))
	errlog("Temp/CBEngine0.errlog", eng, cut(recs, c1, c0))
	curr = errlog("Temp/CBEngineCurr.errlog", eng, cut(recs, c0, None))
	crec = cut(recs, c0, None)
	crashcopy = errlog("Temp/CBEngineCurr.errlog.2024-06-09_03-12-44.Crash", eng,
		crec[:crec.index(crash) + 1])
	crashcopy.truncate_last = len(crashcopy.lines[-1][0]) - 61
	errlog("Temp/CBUICurr.errlog", ui, ui.sorted())
	errlog("Temp/GatewayProvider0.errlog", gw, gw.sorted())

	j2 = [x for x in jobs if x.failed_list and x.outcome == "failed"][0]
	j5 = [x for x in jobs if x.outcome == "completed-with-warnings"][0]
	small = [("D:\\Shares\\Finance\\locked\\payroll.xlsx", "0x80070005"),
		("D:\\Shares\\Finance\\locked\\payroll-2023.xlsx", "0x80070005"),
		("D:\\Shares\\HR\\Confidential\\reviews.xlsx", "0x80070005"),
		("D:\\Shares\\HR\\Confidential\\salaries.csv", "0x80070005"),
		("D:\\Shares\\Scans\\Inbox\\batch-07\\scan.pdf", "0x80070003")]
	f = failed_list_file("fs01", "Temp/" + j2.failed_list, small, "joined")
	files[f.path] = f
	j2.failed_files = len(small)
	f.mtime = j2.list_written
	f = failed_list_file("fs01", "Temp/" + j5.failed_list, fl_items, "closed")
	files[f.path] = f
	j5.failed_files = len(fl_items)
	f.mtime = j5.list_written
	return files, jobs, other_guids, crash


# --------------------------------------------------------------------------
# fs02

HOSTILE = [
	("<script>alert(1)</script>", "0x80070020",
		"Failed: Hr: = [0x80070020] BackupRead failed on file(D:\\Web\\wwwroot\\"
		"<script>alert(1)</script>.html): The process cannot access the file because it is "
		"being used by another process."),
	("\"><img src=x onerror=alert(1)>", "0x80070021",
		"Failed: Hr: = [0x80070021] LockFileEx failed on file(D:\\Web\\uploads\\"
		"\"><img src=x onerror=alert(1)>.png): The process cannot access the file because "
		"another process has locked a portion of the file."),
	("=HYPERLINK(\"http://x\",\"y\")", "0x8007045D",
		"=HYPERLINK(\"http://x\",\"y\") : Failed: Hr: = [0x8007045D] ReadFile failed on the "
		"volume snapshot of D:"),
	("=cmd|' /C calc'!A0", "0x80070015",
		"=cmd|' /C calc'!A0 : Failed: Hr: = [0x80070015] The device is not ready (volume E:)"),
	("@SUM(1)", "0x800703E3",
		"@SUM(1) : Failed: Hr: = [0x800703E3] The I/O operation has been aborted because of "
		"either a thread exit or an application request"),
	("\x1b]0;pwned\x07", "0x80070079",
		"Failed: Hr: = [0x80070079] Volume label \x1b]0;pwned\x07 of F: did not answer: The "
		"semaphore timeout period has expired."),
	("\x1b[2J", "0x80070040",
		"Failed: Hr: = [0x80070040] Share \\\\nas01\\backup (label \x1b[2J) is gone: The "
		"specified network name is no longer available."),
]


def build_fs02():
	ids = Ids(20240220)
	eng = Stream(random.Random(221), "1D2C", ["0A18", "17F0", "2B04"], extra=False)
	jobs = []
	other_guids = {}
	t0 = T("2024-02-19 06:00:00.000")
	t_rot = T("2024-02-27 17:00:00.000")
	t1 = T("2024-02-27 17:05:31.211")
	t_end = T("2024-03-12 23:40:00.000")
	service_start(eng, ids, t0, FS02_VERSION)
	svc = ids.ptr()
	beats = [["==>CCBEngine::OnIdleTimer", "<--CCBEngine::OnIdleTimer"],
		["Checking for pending jobs: 0 queued"]]
	heartbeat(eng, t0 + timedelta(minutes=45), t_rot, 180, 1,
		["cbengine.cpp(860)", "cbengine.cpp(871)"], beats, tid="0A18", obj=svc)
	t = service_start(eng, ids, t1, FS02_VERSION, pid="0E6C")
	eng.add(t + ms(40), 12, "jobscheduler.cpp(395)", "NORMAL", "Backup policy 2c9e4:",
		obj=ids.ptr(), cont=("  Items: D:\\Shares; schedule daily 20:00 UTC; offline backup "
			"through Azure Import, staging \\\\stage01\\offline",))
	heartbeat(eng, t1 + timedelta(minutes=30), t_end, 240, 1,
		["cbengine.cpp(860)", "cbengine.cpp(871)"], beats, tid="0A18", obj=svc)

	# J1: succeeded, in the cp1252 file; a path with cp1252 characters
	j = Job("fs02", ids.guid(), "backup", "succeeded", note="in CBEngine0.errlog (cp1252)")
	backup_job(eng, ids, j, T("2024-02-20 21:00:04.610"), ds=2, total_mb=9400, chunks=14,
		xfer_minutes=55, transfer_events=[(3, "NORMAL", 32, "fileprovider.cpp(1802)",
			"Large file queued: D:\\Users\\Ren\u00e9e\\Documents\\Q1 \u2013 Budget \u201cdraft\u201d "
			"Ren\u00e9e\u2019s copy.xlsx (1.4 GB)", ())])
	jobs.append(j)

	def stall(t, pages, msec, retry):
		eng.add(t, 70, "catalogstore.cpp(1408)", "FATAL",
			"CatalogStore::FlushPendingPages: flush of %d pages stalled for %d ms on volume %s, "
			"retry %d of 5" % (pages, msec, ids.vol(), retry), obj=ids.ptr())

	stall(T("2024-02-22 03:17:45.404"), 611, 20480, 1)
	stall(T("2024-03-04 12:09:02.881"), 38, 9007, 2)

	sg = ids.guid()
	other_guids[sg] = "fs02: registration check after the server was renamed"
	eng.add(T("2024-03-05 09:12:40.330"), 69, "AzureServiceManagementHelper.cs(512)", "NORMAL",
		"Checking server registration for machine FS02 (registered as FS-OLD02)", guid=sg, tid="17F0")
	eng.add(T("2024-03-05 09:12:41.913"), 69, "AzureServiceManagementHelper.cs(547)", "FATAL",
		"The current operation failed due to an internal service error \"Resource not provisioned "
		"in service stamp\". Please retry the operation after some time. (ID: 230006)",
		guid=sg, codes=["230006"], tid="17F0")

	t = T("2024-03-08 11:04:10.100")
	for _, code, msg in HOSTILE:
		t += ms(eng.rng.randint(300, 20000))
		eng.add(t, 18, "mtffile.cpp(1372)", "WARNING", msg, obj=ids.ptr(), codes=[code],
			tid="2B04")

	# J2: offline backup that fails while polling the Azure Import job
	j = Job("fs02", ids.guid(), "backup", "failed", "0x80780054",
		note="offline backup (Azure Import)")
	j.failed_list = "LastBackupFailedFiles2c9e4_3_12_2024.txt"
	bo = ids.ptr()
	offline = [
		("NORMAL", 71, "backupasync.cpp(2290)",
			"Writing 4 failed file entries to C:\\Program Files\\Microsoft Azure Recovery "
			"Services Agent\\Temp\\" + j.failed_list, (), bo),
		("NORMAL", 71, "backupasync.cpp(1560)",
			"Offline Backup Progress: Data copied to staging location \\\\stage01\\offline\\FS02", (), bo),
		("FATAL", 69, "AzureServiceManagementHelper.cs(320)",
			"GetImportJobStatus:: Import job with name 'fs02-import-0312' is not found", (), ""),
		("NORMAL", 71, "backupasync.cpp(1589)",
			"PollAzureImportJob :: Import Job: 'fs02-import-0312' is in pending state: '1'", (), bo),
		("WARNING", 71, "backupasync.cpp(1607)",
			"PollAzureImportJob failed with error code: 1b7afbe0", ("0x1B7AFBE0",), bo),
		("WARNING", 71, "backupasync.cpp(1184)",
			"Failed: Hr: = [0x80780054] Offline Backup Progress: Failed\"", ("0x80780054",), bo),
	]
	backup_job(eng, ids, j, T("2024-03-12 20:00:02.880"), ds=2, total_mb=31200, chunks=16,
		xfer_minutes=100, transfer_events=[(4, "NORMAL", 32, "fileprovider.cpp(1802)",
			"Large file queued: D:\\Shares\\M\u00fcller & S\u00f6hne\\Angebote\\2024\\\u00dcbersicht.pst (2.1 GB)",
			())], offline=offline)
	j.list_written = [r.t for r in eng.recs if r.guid == j.guid and "Writing 4" in r.msg][0]
	jobs.append(j)

	recs = eng.sorted()
	files = {}
	f = OutFile("fs02", "Temp/CBEngine0.errlog", "cp1252", "errlog")
	f.add_records(cut(recs, None, t_rot), eng.extra)
	files[f.path] = f
	f = OutFile("fs02", "Temp/CBEngineCurr.errlog", "utf-8", "errlog")
	f.add_records(cut(recs, t_rot, None), eng.extra)
	files[f.path] = f
	items = [("D:\\Shares\\M\u00fcller & S\u00f6hne\\Angebote\\2024\\locked.pst", "0x80070005"),
		("D:\\Shares\\Public\\Thumbs.db", "0x80070005"),
		("D:\\Shares\\Public\\old\\~$report.docx", "0x80070002"),
		("D:\\Shares\\Archive\\2019\\broken.zip", "0x80070570")]
	f = failed_list_file("fs02", "Temp/" + j.failed_list, items, "open")
	j.failed_files = len(items)
	files[f.path] = f
	f = OutFile("fs02", "Temp/notes.txt", "utf-8", "other")
	for line in [
		"Notes from the customer call (2024-03-13)",
		"",
		"- FS02 was renamed from FS-OLD02 at the end of February.",
		"- The offline (Azure Import) backup of 12 March failed; the disks were shipped on 11 March.",
		"- Logs copied from C:\\Program Files\\Microsoft Azure Recovery Services Agent\\Temp;",
		"  CBEngineCurr.errlog was opened and saved again in Notepad (UTF-8), CBEngine0.errlog",
		"  was saved as ANSI by the customer's editor.",
	]:
		f.lines.append((line, None))
	files[f.path] = f
	return files, jobs, other_guids


# --------------------------------------------------------------------------
# checks and expected results

def check_and_count(files, jobs, other_guids, crash_path=None):
	"""Verify every message's codes, and compute the per-machine EXPECTED data."""
	per_file = []
	codes = {}		# code -> dict(errlog=n, crash=n, failed=n, first=...)
	multi = []
	benign = 0
	benign_crash = 0
	markers = {m: 0 for m in TEXT_MARKERS}
	unknown = {}
	versions = []
	fails = {}
	hostile = []
	guid_recs = {}
	for path in sorted(files):
		f = files[path]
		lv = {}
		nrec = ncont = 0
		first = last = None
		for no, text, r in f.shown_lines():
			if f.kind == "failed-files":
				continue
			if r is None:
				if f.kind == "errlog":
					ncont += 1
					if extract_codes(text):
						raise SystemExit("continuation line carries a code: %r" % text)
				continue
			nrec += 1
			first = first or r.t
			last = r.t
			lv[r.level] = lv.get(r.level, 0) + 1
			msg = text.split("\t")[-1]
			got = extract_codes(msg)
			truncated = msg != r.msg
			if not truncated and got != list(r.codes):
				raise SystemExit("%s:%d: codes %s, declared %s: %r" % (path, no, got,
					list(r.codes), msg))
			in_crash = path.endswith(".Crash")
			for c in got:
				d = codes.setdefault(c, dict(errlog=0, crash=0, failed=0, first=None))
				d["errlog"] += 1
				if in_crash:
					d["crash"] += 1
				key = (r.t, f.path, no)
				if not in_crash and (d["first"] is None or key < d["first"]):
					d["first"] = key
			if len(got) > 1:
				known = [c for c in got if c in CATALOG_CODES]
				multi.append((path, no, got, known[0] if known else got[0]))
			if msg.startswith(BENIGN_PREFIX):
				benign += 1
				if in_crash:
					benign_crash += 1
			hit = False
			for m in TEXT_MARKERS:
				if m in msg:
					markers[m] += 1
					hit = True
			if hit and any(c not in CATALOG_CODES for c in got):
				# classify.h would pick the text rule over the unknown HRESULT
				raise SystemExit("%s:%d: unknown code and a text-rule phrase" % (path, no))
			m = re.search(r"Microsoft Azure Recovery Services Agent version (\S+)", msg)
			if m:
				versions.append((path, no, m.group(1), r.t))
			if any(h[0] in msg for h in HOSTILE):
				hostile.append((path, no, msg))
			if (r.level in ("WARNING", "FATAL", "CRITICAL") and not got and not hit
					and not msg.startswith(BENIGN_PREFIX)):
				key = mask(msg)
				u = unknown.setdefault(key, dict(level=r.level, count=0, crash=0, files=set()))
				u["count"] += 1
				if in_crash:
					u["crash"] += 1
				u["files"].add(path)
			if r.guid:
				g = guid_recs.setdefault(r.guid, dict(first=r.t, last=r.t, n=0, crash=0))
				g["first"] = min(g["first"], r.t)
				g["last"] = max(g["last"], r.t)
				g["n"] += 1
				if in_crash:
					g["crash"] += 1
		for p, c in f.items:
			d = codes.setdefault(c, dict(errlog=0, crash=0, failed=0, first=None))
			d["failed"] += 1
			fails[(p, c)] = fails.get((p, c), 0) + 1
		data = f.data
		per_file.append(dict(path=path, kind=f.kind, encoding=f.encoding,
			bom=data[:2] == b"\xff\xfe" or data[:3] == b"\xef\xbb\xbf", bytes=len(data),
			lines=len(f.lines), records=nrec, continuation_lines=ncont,
			failed_items=len(f.items), levels=dict(sorted(lv.items())),
			first=iso(first) if first else None, last=iso(last) if last else None,
			mtime=iso(f.mtime) if f.mtime else None,
			cut_last_line=f.truncate_last is not None))
	jobrows = []
	for j in sorted(jobs, key=lambda x: guid_recs[x.guid]["first"]):
		g = guid_recs[j.guid]
		if g["crash"]:
			raise SystemExit("job %s has lines in the crash copy" % j.guid)
		jobrows.append(dict(task_id=j.guid, kind=j.kind, start=iso(g["first"]),
			end=iso(g["last"]), outcome=j.outcome, hresult=j.hresult,
			failed_files=j.failed_files, failed_list=j.failed_list,
			list_written=iso(j.list_written) if j.list_written else None,
			records=g["n"], note=j.note))
	others = []
	for g in sorted(other_guids, key=lambda x: guid_recs[x]["first"]):
		d = guid_recs[g]
		others.append(dict(task_id=g, first=iso(d["first"]), last=iso(d["last"]),
			records=d["n"], in_crash_copy=d["crash"], what=other_guids[g]))
	if len(guid_recs) != len(jobs) + len(other_guids):
		raise SystemExit("undeclared task GUIDs")
	levels = {}
	for pf in per_file:
		for k, v in pf["levels"].items():
			levels[k] = levels.get(k, 0) + v
	totals = dict(files=len(per_file),
		errlog_files=sum(1 for pf in per_file if pf["kind"] == "errlog"),
		failed_files_lists=sum(1 for pf in per_file if pf["kind"] == "failed-files"),
		other_files=sum(1 for pf in per_file if pf["kind"] == "other"),
		records=sum(pf["records"] for pf in per_file),
		records_without_crash_copy=sum(pf["records"] for pf in per_file
			if not pf["path"].endswith(".Crash")),
		continuation_lines=sum(pf["continuation_lines"] for pf in per_file),
		levels=dict(sorted(levels.items())),
		failed_file_items=sum(pf["failed_items"] for pf in per_file),
		jobs=len(jobrows), jobs_failed=sum(1 for j in jobrows if j["outcome"] == "failed"))
	return dict(
		totals=totals, files=per_file, jobs=jobrows, other_task_ids=others,
		codes={c: dict(errlog_records=d["errlog"], in_crash_copy=d["crash"],
			failed_file_items=d["failed"],
			first=dict(time=iso(d["first"][0]), path=d["first"][1], line=d["first"][2])
			if d["first"] else None, in_catalog=c in CATALOG_CODES)
			for c, d in sorted(codes.items())},
		multi_code_records=[dict(path=p, line=n, codes=cs, classify_picks=pick)
			for p, n, cs, pick in multi],
		benign_records=benign, benign_in_crash_copy=benign_crash,
		text_markers=markers,
		unknown_groups=[dict(text=k, level=v["level"], count=v["count"],
			in_crash_copy=v["crash"], files=sorted(v["files"]))
			for k, v in sorted(unknown.items(), key=lambda kv: (-kv[1]["count"], kv[0]))],
		agent_version_lines=[dict(path=p, line=n, version=v, time=iso(t))
			for p, n, v, t in versions],
		failed_files=[dict(path=p, code=c, count=n) for (p, c), n in
			sorted(fails.items(), key=lambda kv: (-kv[1], kv[0]))],
		hostile=[dict(path=p, line=n, message=m) for p, n, m in hostile],
	)


def mask(msg):
	"""A simple masking for the 'unknown' groups: GUIDs, hex and numbers."""
	s = re.sub(r"\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?",
		"<guid>", msg)
	s = re.sub(r"\d+", "<n>", s)
	return s


# --------------------------------------------------------------------------
# writing

def zip_time(t):
	return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def even_up(t):
	"""Next even second at or after t (DOS times have 2 s resolution)."""
	u = t.replace(microsecond=0)
	if u < t:
		u += timedelta(seconds=1)
	if u.second % 2:
		u += timedelta(seconds=1)
	return u


def zip_add(z, name, data, mtime):
	zi = zipfile.ZipInfo(name, date_time=zip_time(mtime))
	zi.compress_type = zipfile.ZIP_DEFLATED
	zi.create_system = 0
	zi.external_attr = 0x20		# FILE_ATTRIBUTE_ARCHIVE, as Windows writes it
	# extended timestamp (0x5455): UTC mtime, so the time does not depend on
	# the reader's time zone (DOS times are local)
	zi.extra = struct.pack("<HHBl", 0x5455, 5, 1,
		int(mtime.timestamp()))
	z.writestr(zi, data, compresslevel=9)


def write_all(outdir):
	files1, jobs1, others1, crash = build_fs01()
	files2, jobs2, others2 = build_fs02()
	for f in list(files1.values()) + list(files2.values()):
		f.encode()
	# mtimes: logs shortly after their last line, lists when they were written
	for f in files1.values():
		if f.mtime is None:
			last = [r for _, _, r in f.shown_lines() if r is not None][-1].t
			f.mtime = last + timedelta(seconds=7)
		f.mtime = even_up(f.mtime)
	inner = files1["Temp/older-logs.zip!CBEngine2.errlog"]
	buf = io.BytesIO()
	with zipfile.ZipFile(buf, "w") as z:
		zip_add(z, "CBEngine2.errlog", inner.data, inner.mtime)
	inner_zip = buf.getvalue()
	inner_zip_mtime = even_up(T("2024-06-03 05:52:30.000"))
	order = ["Temp/CBEngineCurr.errlog", "Temp/CBEngine0.errlog", "Temp/CBEngine1.errlog",
		"Temp/CBUICurr.errlog", "Temp/GatewayProvider0.errlog",
		"Temp/CBEngineCurr.errlog.2024-06-09_03-12-44.Crash"]
	order += sorted(p for p in files1 if "LastBackupFailedFiles" in p)
	if sorted(order + [inner.path]) != sorted(files1):
		raise SystemExit("fs01 file list out of step")
	buf = io.BytesIO()
	with zipfile.ZipFile(buf, "w") as z:
		for p in order:
			zip_add(z, p, files1[p].data, files1[p].mtime)
		zip_add(z, "Temp/older-logs.zip", inner_zip, inner_zip_mtime)
	with open(os.path.join(outdir, "fs01.zip"), "wb") as fp:
		fp.write(buf.getvalue())
	d2 = os.path.join(outdir, "fs02", "Temp")
	os.makedirs(d2, exist_ok=True)
	for f in files2.values():
		with open(os.path.join(outdir, "fs02", f.path), "wb") as fp:
			fp.write(f.data)
	return files1, jobs1, others1, files2, jobs2, others2


def expected(files1, jobs1, others1, files2, jobs2, others2):
	return {
		"fs01": dict(check_and_count(files1, jobs1, others1),
			agent_version=FS01_VERSION, bundle="fs01.zip", year_option=None),
		"fs02": dict(check_and_count(files2, jobs2, others2),
			agent_version=FS02_VERSION, bundle="fs02/", year_option=2024),
	}


def md_expected(e):
	out = []
	w = out.append
	w("## EXPECTED (generated by `python3 samples/mksamples.py --expected`; do not edit)")
	w("")
	w("Times are ISO 8601 UTC. Line numbers are 1-based physical lines of the decoded")
	w("file (the BOM is not a line). \"records\" = lines that start a record;")
	w("continuation lines are counted apart. \"files\" are the files inside a bundle (a")
	w("nested zip itself is not one). The same data is in `samples/expected.json`.")
	for m in ("fs01", "fs02"):
		x = e[m]
		w("")
		w("### %s (`samples/%s`%s)" % (m, x["bundle"],
			", analyse with `--year 2024`" if x["year_option"] else ""))
		w("")
		w("agent_version: `%s`" % x["agent_version"])
		w("")
		tt = x["totals"]
		w("Totals: %d files (%d errlog incl. the .Crash copy, %d failed-files lists, %d other); "
			"%d records (%d without the .Crash copy), %d continuation lines; levels %s; "
			"%d failed-files items; %d jobs, %d failed." % (tt["files"], tt["errlog_files"],
			tt["failed_files_lists"], tt["other_files"], tt["records"],
			tt["records_without_crash_copy"], tt["continuation_lines"],
			", ".join("%s %d" % kv for kv in tt["levels"].items()), tt["failed_file_items"],
			tt["jobs"], tt["jobs_failed"]))
		w("")
		w("#### Files")
		w("")
		w("| path | kind | encoding | BOM | bytes | lines | records | cont. | items | NORMAL | WARNING | FATAL | CRITICAL | first | last | mtime in zip |")
		w("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
		for f in x["files"]:
			lv = f["levels"]
			w("| %s%s | %s | %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %s | %s | %s |" % (
				f["path"], " (last line cut)" if f["cut_last_line"] else "", f["kind"],
				f["encoding"], "yes" if f["bom"] else "no", f["bytes"], f["lines"], f["records"],
				f["continuation_lines"], f["failed_items"], lv.get("NORMAL", 0),
				lv.get("WARNING", 0), lv.get("FATAL", 0), lv.get("CRITICAL", 0),
				f["first"] or "-", f["last"] or "-", f["mtime"] or "-"))
		w("")
		w("#### Jobs (one task GUID each; start/end = first/last record with that GUID)")
		w("")
		w("| task_id | kind | start | end | outcome | hresult | failed_files | note |")
		w("|---|---|---|---|---|---|---|---|")
		for j in x["jobs"]:
			note = j["note"]
			if j["failed_list"]:
				note = (note + "; " if note else "") + "list `%s` written %s" % (
					j["failed_list"], j["list_written"])
			w("| %s | %s | %s | %s | %s | %s | %d | %s |" % (j["task_id"], j["kind"],
				j["start"], j["end"], j["outcome"], j["hresult"] or "null",
				j["failed_files"], note))
		w("")
		w("Other task GUIDs (not jobs: no `Backup Progress:`/`Recovery Progress:` milestones):")
		w("")
		for o in x["other_task_ids"]:
			w("- `%s` %s .. %s, %d records%s: %s" % (o["task_id"], o["first"], o["last"],
				o["records"], " (%d of them in the .Crash copy)" % o["in_crash_copy"]
				if o["in_crash_copy"] else "", o["what"]))
		w("")
		w("#### Codes (records whose message carries the code; failed-files items apart)")
		w("")
		w("| code | in catalog | errlog records | of which in .Crash copy | failed-files items | earliest (time, path:line) |")
		w("|---|---|---|---|---|---|")
		for c, d in x["codes"].items():
			fi = d["first"]
			w("| %s | %s | %d | %d | %d | %s |" % (c, "yes" if d["in_catalog"] else "no",
				d["errlog_records"], d["in_crash_copy"], d["failed_file_items"],
				"%s %s:%d" % (fi["time"], fi["path"], fi["line"]) if fi else "-"))
		if x["multi_code_records"]:
			w("")
			w("Records with more than one code (classify.h picks the first catalog code):")
			w("")
			for mc in x["multi_code_records"]:
				w("- %s:%d carries %s -> %s" % (mc["path"], mc["line"], ", ".join(mc["codes"]),
					mc["classify_picks"]))
		w("")
		w("#### Text-rule phrases (records containing the phrase; no code)")
		w("")
		for k, n in x["text_markers"].items():
			w("- `%s`: %d" % (k, n))
		w("")
		w("Benign `%s ...` WARNING records: %d (%d of them in the .Crash copy)" % (
			BENIGN_PREFIX, x["benign_records"], x["benign_in_crash_copy"]))
		w("")
		w("#### Unknown messages (WARNING and above, no code, no text-rule phrase, not benign), masked")
		w("")
		w("| count | of which in .Crash | level | masked text |")
		w("|---|---|---|---|")
		for u in x["unknown_groups"]:
			w("| %d | %d | %s | %s |" % (u["count"], u["in_crash_copy"], u["level"],
				visible(u["text"]).replace("|", "\\|")))
		w("")
		w("#### Agent version lines")
		w("")
		for v in x["agent_version_lines"]:
			w("- %s:%d %s at %s" % (v["path"], v["line"], v["version"], v["time"]))
		w("")
		w("#### Failed files (path, code, count over all lists of the machine)")
		w("")
		total = sum(f["count"] for f in x["failed_files"])
		w("%d items, %d distinct (path, code); count > 1:" % (total, len(x["failed_files"])))
		w("")
		if all(f["count"] == 1 for f in x["failed_files"]):
			w("- none")
		for f in x["failed_files"]:
			if f["count"] > 1:
				w("- `%s` %s x%d" % (f["path"], f["code"], f["count"]))
		if x["hostile"]:
			w("")
			w("#### Hostile strings (each in one WARNING record)")
			w("")
			for h in x["hostile"]:
				w("- %s:%d `%s`" % (h["path"], h["line"], visible(h["message"])))
	return "\n".join(out) + "\n"


def visible(s):
	"""Control characters as \\xNN so the markdown shows them."""
	return re.sub(r"[\x00-\x1f\x7f]", lambda m: "\\x%02x" % ord(m.group(0)), s)


def check_catalog(e):
	"""Warn when patterns/catalog.tsv no longer agrees with CATALOG_CODES about
	the codes used here (the samples do not change; the README may need to)."""
	path = os.path.join(HERE, "..", "patterns", "catalog.tsv")
	if not os.path.exists(path):
		return
	listed = set()
	codes = None
	with open(path, encoding="utf-8") as fp:
		for line in fp:
			if line.startswith("#") or not line.strip():
				continue
			fields = line.rstrip("\n").split("\t")
			if codes is None:	# the header row names the columns
				codes = fields.index("codes")
				continue
			if len(fields) > codes:
				listed.update(fields[codes].split())
	for m in ("fs01", "fs02"):
		for c in e[m]["codes"]:
			if (c in listed) != (c in CATALOG_CODES):
				sys.stderr.write("mksamples: warning: %s is %sin patterns/catalog.tsv "
					"but CATALOG_CODES says otherwise\n" % (c, "" if c in listed else "not "))


BEGIN = "<!-- EXPECTED:BEGIN -->"
END = "<!-- EXPECTED:END -->"


def main():
	ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	ap.add_argument("--expected", action="store_true",
		help="print the EXPECTED section (files are still regenerated in a temp dir)")
	ap.add_argument("--outdir", default=HERE, help="where to write (default: samples/)")
	a = ap.parse_args()
	if a.expected:
		import tempfile
		with tempfile.TemporaryDirectory() as d:
			e = expected(*write_all(d))
		sys.stdout.write(md_expected(e))
		return 0
	e = expected(*write_all(a.outdir))
	mkmabs.write(a.outdir)		# mabs01.zip and mabs01.expected
	check_catalog(e)
	with open(os.path.join(a.outdir, "expected.json"), "w", encoding="utf-8") as fp:
		json.dump(e, fp, indent=1, ensure_ascii=True, sort_keys=False)
		fp.write("\n")
	readme = os.path.join(a.outdir, "README.md")
	if os.path.exists(readme):
		with open(readme, encoding="utf-8") as fp:
			text = fp.read()
		if BEGIN in text and END in text:
			head, rest = text.split(BEGIN, 1)
			_, tail = rest.split(END, 1)
			text = head + BEGIN + "\n" + md_expected(e) + END + tail
			with open(readme, "w", encoding="utf-8") as fp:
				fp.write(text)
	return 0


if __name__ == "__main__":
	sys.exit(main())
