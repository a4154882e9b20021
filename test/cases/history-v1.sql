-- A marslog history database at schema version 1, as the first version
-- with --history wrote it (test_history.c migrates it): one run on
-- 2024-06-03 in which srv0001 was failing, and its failed job.
PRAGMA application_id = 1296846663;
CREATE TABLE run (id INTEGER PRIMARY KEY, day TEXT NOT NULL UNIQUE,
 as_of INTEGER NOT NULL, recorded INTEGER NOT NULL, generator TEXT,
 options TEXT);
CREATE TABLE machine (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE run_machine (machine INTEGER NOT NULL REFERENCES machine(id),
 run INTEGER NOT NULL REFERENCES run(id), verdict TEXT NOT NULL,
 agent_version TEXT, PRIMARY KEY (machine, run)) WITHOUT ROWID;
CREATE INDEX run_machine_run ON run_machine(run);
CREATE TABLE job (machine INTEGER NOT NULL REFERENCES machine(id),
 task_id TEXT NOT NULL, kind TEXT NOT NULL, start INTEGER, end INTEGER,
 outcome TEXT NOT NULL, outcome_time INTEGER, hresult TEXT,
 failed_files INTEGER NOT NULL DEFAULT 0,
 PRIMARY KEY (machine, task_id)) WITHOUT ROWID;
CREATE TABLE finding_day (machine INTEGER NOT NULL REFERENCES machine(id),
 day TEXT NOT NULL, finding TEXT NOT NULL, level TEXT NOT NULL,
 count INTEGER NOT NULL, PRIMARY KEY (machine, day, finding)) WITHOUT ROWID;
INSERT INTO run VALUES (1, '2024-06-03', 1717394400000, 1717394500000,
 'marslog 0.1.0', '--stamp');
INSERT INTO machine VALUES (1, 'srv0001');
INSERT INTO run_machine VALUES (1, 1, 'failing', '2.0.9262.0');
INSERT INTO job VALUES (1, 'A7F3E2C1-0B1D-4E5F-9A8B-7C6D5E4F3A21', 'backup',
 1717376400000, 1717380000000, 'failed', 1717380000000, '0x80070070', 3);
INSERT INTO finding_day VALUES (1, '2024-06-03', 'disk-full', 'error', 2);
PRAGMA user_version = 1;
