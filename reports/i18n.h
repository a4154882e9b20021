/* SPDX-License-Identifier: MIT */
/*
 * i18n.h -- report labels in the report's language (messages.def).
 * Returned strings are static UTF-8.
 */
#ifndef MARSLOG_I18N_H
#define MARSLOG_I18N_H

#include "patterns/catalog.h"
#include "reports/summary.h"

enum msg_id {
#define X(id, en, zh) id,
#include "reports/messages.def"
#undef X
	MSG__COUNT
};

const char *tr(enum cat_lang lang, enum msg_id id);

/* Localised words for enum values. */
const char *tr_outcome(enum cat_lang lang, enum job_outcome o);
const char *tr_level(enum cat_lang lang, enum cat_level l);
/* A verdict by its name (reports/diagnose.h verdict_name(), as the
 * history stores it): "failing" -> "失败"; a name that is no verdict is
 * returned as it is, NULL as "". */
const char *tr_verdict_name(enum cat_lang lang, const char *name);
/* Label ids for enum values, for writers that pass ids around. */
enum msg_id msg_input_status(enum input_status st);
enum msg_id msg_job_kind(enum job_kind k);

#endif
