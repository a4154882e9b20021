/* SPDX-License-Identifier: MIT */
/*
 * template.h -- mask the variable parts of a log message so that messages
 * that differ only in numbers, GUIDs, hex values, paths or quoted names
 * group into one template ("Import job with name '<s>' is not found").
 */
#ifndef MARSLOG_TEMPLATE_H
#define MARSLOG_TEMPLATE_H

#include <stddef.h>

/* Longest template kept, in bytes (cut at a UTF-8 boundary). */
#define TEMPLATE_MAX 240

/*
 * Write the template of msg[0..n) into out (NUL-terminated, at most
 * TEMPLATE_MAX bytes + 1; `out` must hold TEMPLATE_MAX + 1).  Masks:
 * GUIDs -> <guid>, 0x.. and long hex words -> <hex>, drive, \\?\ and UNC
 * paths -> <path>, '...' and "..." -> '<s>', digit runs -> <n>; runs of
 * white space become one space.  Returns the length.
 */
size_t template_mask(const char *msg, size_t n, char *out);

#endif
