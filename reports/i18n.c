/* SPDX-License-Identifier: MIT */
/* i18n.c -- the label table generated from messages.def. */
#include <string.h>

#include "reports/diagnose.h"
#include "reports/i18n.h"

static const char *const messages[MSG__COUNT][CAT_LANG__COUNT] = {
#define X(id, en, zh) [id] = { en, zh },
#include "reports/messages.def"
#undef X
};

const char *
tr(enum cat_lang lang, enum msg_id id)
{
	if ((unsigned)id >= MSG__COUNT)
		return "";
	if ((unsigned)lang >= CAT_LANG__COUNT)
		lang = CAT_LANG_EN;
	return messages[id][lang];
}

const char *
tr_outcome(enum cat_lang lang, enum job_outcome o)
{
	switch (o) {
	case JOB_SUCCEEDED: return tr(lang, MSG_OUTCOME_SUCCEEDED);
	case JOB_FAILED: return tr(lang, MSG_OUTCOME_FAILED);
	case JOB_WARNINGS: return tr(lang, MSG_OUTCOME_WARNINGS);
	case JOB_UNKNOWN: break;
	}
	return tr(lang, MSG_OUTCOME_UNKNOWN);
}

const char *
tr_verdict_name(enum cat_lang lang, const char *name)
{
	static const enum msg_id msg[VERDICT__COUNT] = {
		[VERDICT_HEALTHY] = MSG_VERDICT_HEALTHY,
		[VERDICT_UNKNOWN] = MSG_VERDICT_UNKNOWN,
		[VERDICT_ATTENTION] = MSG_VERDICT_ATTENTION,
		[VERDICT_STALE] = MSG_VERDICT_STALE,
		[VERDICT_FAILING] = MSG_VERDICT_FAILING,
	};
	int v;

	if (name == NULL)
		return "";
	for (v = 0; v < VERDICT__COUNT; v++)
		if (strcmp(name, verdict_name((enum verdict)v)) == 0)
			return tr(lang, msg[v]);
	return name;
}

const char *
tr_level(enum cat_lang lang, enum cat_level l)
{
	switch (l) {
	case CAT_LEVEL_ERROR: return tr(lang, MSG_LEVEL_ERROR);
	case CAT_LEVEL_WARNING: return tr(lang, MSG_LEVEL_WARNING);
	case CAT_LEVEL_INFO: break;
	}
	return tr(lang, MSG_LEVEL_INFO);
}

enum msg_id
msg_input_status(enum input_status st)
{
	switch (st) {
	case INPUT_PARTIAL: return MSG_INPUT_PARTIAL;
	case INPUT_SKIPPED: return MSG_INPUT_SKIPPED;
	case INPUT_OK: break;
	}
	return MSG_INPUT_OK;
}

enum msg_id
msg_job_kind(enum job_kind k)
{
	switch (k) {
	case JOB_BACKUP: return MSG_JOB_BACKUP;
	case JOB_RESTORE: return MSG_JOB_RESTORE;
	case JOB_OTHER: break;
	}
	return MSG_JOB_OTHER;
}
