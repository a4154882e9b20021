/* SPDX-License-Identifier: MIT */
/*
 * redact.c -- pseudonyms for identifying data (see redact.h).
 *
 * Free text is cut into tokens at white space and the delimiters below;
 * each token is classified by shape (URL, UNC or drive path, relative
 * path or DOMAIN\user, e-mail, GUID, IP address, FQDN), then by the label
 * before it ("Machine name: X"), then searched for the input's machine
 * name.  A drive or UNC path may go on over spaces ("C:\Program
 * Files\...") as long as a later word continues it with a separator.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "reports/redact.h"

#define HASH_BYTES	16
#define KEY_FILE_MIN	16
#define KEY_FILE_MAX	((size_t)1 << 20)
#define JOIN_WORDS	8	/* words a path may go on over */
#define NAME_WORDS	3	/* words of a file name with spaces */
#define QUOTED_MAX	1024	/* longest quoted path taken whole */

struct pair {
	char *pseudo, *orig;
};

static atomic_uint_fast64_t serials;	/* redactors made so far */

struct redactor {
	unsigned char key[REDACT_KEY_BYTES];
	uint64_t serial;		/* tags this key's cached hashes */
	char key_id[REDACT_KEY_ID_LEN + 1];
	int keep_map;
	pthread_mutex_t lock;
	struct pair *pairs;
	size_t npairs, cap;
	int oom;
};

enum kind { K_HOST, K_USER, K_DOMAIN, K_DIR, K_FILE, K_SHARE, K_IP,
	K_IP6, K_ID, K_GUID };

static const struct {
	const char *prefix;
	int hex;
} kinds[] = {
	[K_HOST] = { "host", 12 }, [K_USER] = { "user", 8 },
	[K_DOMAIN] = { "domain", 8 }, [K_DIR] = { "dir", 8 },
	[K_FILE] = { "file", 8 }, [K_SHARE] = { "share", 8 },
	[K_IP] = { "ip", 8 }, [K_IP6] = { "ipv6", 8 }, [K_ID] = { "id", 8 },
	[K_GUID] = { "guid", 0 },
};

/* Character classes, one table lookup each (the scan is per byte). */
enum { C_ALNUM = 1, C_HEX = 2, C_SPACE = 4, C_DELIM = 8, C_TRAIL = 16 };

static unsigned char cclass[256];
static void table_lengths(void);
static pthread_once_t cclass_once = PTHREAD_ONCE_INIT;

static void
cclass_init(void)
{
	const char *p;
	int c;

	for (c = 0; c < 256; c++) {
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z'))
			cclass[c] |= C_ALNUM;
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F'))
			cclass[c] |= C_HEX;
	}
	for (p = " \t\r\n\v\f"; *p; p++)
		cclass[(unsigned char)*p] |= C_SPACE;
	for (p = "\"'<>()[]{},;|`"; *p; p++)
		cclass[(unsigned char)*p] |= C_DELIM;
	for (p = ".:!?"; *p; p++)
		cclass[(unsigned char)*p] |= C_TRAIL;
	table_lengths();
}

static int
is_alnum(int c)
{
	return cclass[c & 0xFF] & C_ALNUM;
}

static int
is_hex(int c)
{
	return cclass[c & 0xFF] & C_HEX;
}

static int
is_space(int c)
{
	return cclass[c & 0xFF] & C_SPACE;
}

/* Token delimiters besides white space. */
static int
is_delim(int c)
{
	return cclass[c & 0xFF] & C_DELIM;
}

/* ------------------------------------------------------------- keys */

int
redact_key_read(const char *path, unsigned char key[REDACT_KEY_BYTES],
    char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t n = 0;
	int rc = -1;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (sodium_init() < 0 || (buf = malloc(KEY_FILE_MAX + 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	n = fread(buf, 1, KEY_FILE_MAX + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (n < KEY_FILE_MIN || n > KEY_FILE_MAX) {
		snprintf(err, errlen, "%s: a key file holds 16 bytes to 1 MiB "
		    "(it has %s%zu)", path, n > KEY_FILE_MAX ? "more than " : "",
		    n > KEY_FILE_MAX ? KEY_FILE_MAX : n);
		goto out;
	}
	crypto_generichash(key, REDACT_KEY_BYTES, buf, n,
	    (const unsigned char *)"marslog-redact-key", 18);
	rc = 0;
out:
	if (buf != NULL)
		sodium_memzero(buf, KEY_FILE_MAX + 1);
	free(buf);
	fclose(f);
	return rc;
}

void
redact_key_random(unsigned char key[REDACT_KEY_BYTES])
{
	if (sodium_init() < 0)
		abort();	/* cannot happen on Linux: getrandom/urandom */
	randombytes_buf(key, REDACT_KEY_BYTES);
}

struct redactor *
redactor_new(const unsigned char key[REDACT_KEY_BYTES], int keep_map)
{
	struct redactor *r;
	unsigned char id[REDACT_KEY_ID_LEN / 2];

	if (sodium_init() < 0 || (r = calloc(1, sizeof *r)) == NULL)
		return NULL;
	pthread_once(&cclass_once, cclass_init);
	memcpy(r->key, key, REDACT_KEY_BYTES);
	r->serial = atomic_fetch_add(&serials, 1) + 1;
	r->keep_map = keep_map;
	pthread_mutex_init(&r->lock, NULL);
	crypto_generichash(id, sizeof id, (const unsigned char *)"marslog key id",
	    14, r->key, sizeof r->key);
	sodium_bin2hex(r->key_id, sizeof r->key_id, id, sizeof id);
	return r;
}

void
redactor_free(struct redactor *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->npairs; i++) {
		free(r->pairs[i].pseudo);
		free(r->pairs[i].orig);
	}
	free(r->pairs);
	pthread_mutex_destroy(&r->lock);
	sodium_memzero(r->key, sizeof r->key);
	free(r);
}

const char *
redactor_key_id(const struct redactor *r)
{
	return r->key_id;
}

/* -------------------------------------------------------- pseudonyms */

static int pair_cmp(const void *a, const void *b);

/* Sort the pairs and drop duplicates; the table grows only when more
 * than half of it is distinct, so it holds at most twice the distinct
 * pairs, however often each is met. */
static void
compact(struct redactor *r)
{
	size_t i, o = 0;

	if (r->npairs == 0)
		return;
	qsort(r->pairs, r->npairs, sizeof *r->pairs, pair_cmp);
	for (i = 0; i < r->npairs; i++) {
		if (o > 0 && pair_cmp(&r->pairs[i], &r->pairs[o - 1]) == 0) {
			free(r->pairs[i].pseudo);
			free(r->pairs[i].orig);
			continue;
		}
		r->pairs[o++] = r->pairs[i];
	}
	r->npairs = o;
}

static void
remember(struct redactor *r, const char *pseudo, size_t plen,
    const char *orig, size_t olen)
{
	struct pair *p;

	pthread_mutex_lock(&r->lock);
	if (r->npairs == r->cap) {
		compact(r);
		/* grow when more than half of the full table is distinct */
		if (r->cap == 0 || r->npairs > r->cap / 2) {
			size_t cap = r->cap ? 2 * r->cap : 256;

			p = realloc(r->pairs, cap * sizeof *p);
			if (p == NULL) {
				r->oom = 1;
				goto out;
			}
			r->pairs = p;
			r->cap = cap;
		}
	}
	p = &r->pairs[r->npairs];
	p->pseudo = strndup(pseudo, plen);
	p->orig = strndup(orig, olen);
	if (p->pseudo == NULL || p->orig == NULL) {
		free(p->pseudo);
		free(p->orig);
		r->oom = 1;
		goto out;
	}
	r->npairs++;
out:
	pthread_mutex_unlock(&r->lock);
}

/*
 * Keyed hash of kind + lower-cased s.  BLAKE2b costs about a thousand
 * instructions, and a log names the same folders and hosts over and over:
 * each thread keeps the hashes of short names it has met in a
 * direct-mapped cache, tagged with the redactor's serial number so that a
 * new redactor (another key) never sees them.  *fresh is set when the
 * hash was computed, not found.
 */
#define CACHE_SLOTS	1024
#define CACHE_NAME	47

struct cache_slot {
	uint64_t serial;		/* 0: empty */
	unsigned char kind, len;
	char name[CACHE_NAME];		/* lower-cased */
	unsigned char h[HASH_BYTES];
};

static _Thread_local struct cache_slot cache[CACHE_SLOTS];

static void
hash_of(const struct redactor *r, enum kind k, const char *s, size_t n,
    unsigned char out[HASH_BYTES], int *fresh)
{
	const char *prefix = kinds[k == K_FILE ? K_DIR : k].prefix;
	crypto_generichash_state st;
	struct cache_slot *slot = NULL;
	unsigned char low[256];
	uint32_t fnv;
	size_t i, m;

	if (k == K_FILE)	/* a file and a folder of one name: one hash */
		k = K_DIR;
	fnv = 2166136261u ^ (uint32_t)k;
	if (n <= CACHE_NAME) {
		for (i = 0; i < n; i++) {
			low[i] = (unsigned char)(s[i] >= 'A' && s[i] <= 'Z' ?
			    s[i] - 'A' + 'a' : s[i]);
			fnv = (fnv ^ low[i]) * 16777619u;
		}
		slot = &cache[fnv & (CACHE_SLOTS - 1)];
		if (slot->serial == r->serial && slot->kind == k &&
		    slot->len == n && memcmp(slot->name, low, n) == 0) {
			memcpy(out, slot->h, HASH_BYTES);
			*fresh = 0;
			return;
		}
	}
	*fresh = 1;
	crypto_generichash_init(&st, r->key, sizeof r->key, HASH_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)prefix,
	    strlen(prefix) + 1);
	if (slot != NULL) {
		crypto_generichash_update(&st, low, n);
	} else {
		while (n > 0) {
			m = n < sizeof low ? n : sizeof low;
			for (i = 0; i < m; i++)
				low[i] = (unsigned char)(s[i] >= 'A' &&
				    s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
			crypto_generichash_update(&st, low, m);
			s += m;
			n -= m;
		}
	}
	crypto_generichash_final(&st, out, HASH_BYTES);
	if (slot != NULL) {
		slot->serial = r->serial;
		slot->kind = (unsigned char)k;
		slot->len = (unsigned char)n;
		memcpy(slot->name, low, n);
		memcpy(slot->h, out, HASH_BYTES);
	}
}

/* Append the pseudonym of s (n bytes) as kind k; ext (may be NULL) is
 * appended after a dot. */
static void
pseudo(struct redactor *r, struct text_buf *b, enum kind k, const char *s,
    size_t n, const char *ext, size_t extlen, int upper)
{
	static const char hex[2][17] = { "0123456789abcdef",
	    "0123456789ABCDEF" };
	unsigned char h[HASH_BYTES];
	char out[64];
	size_t o = 0, i;
	int fresh;

	hash_of(r, k, s, n, h, &fresh);
	if (k == K_GUID) {
		for (i = 0; i < HASH_BYTES; i++) {
			if (i == 4 || i == 6 || i == 8 || i == 10)
				out[o++] = '-';
			out[o++] = hex[upper][h[i] >> 4];
			out[o++] = hex[upper][h[i] & 15];
		}
	} else {
		o = strlen(kinds[k].prefix);
		memcpy(out, kinds[k].prefix, o);
		out[o++] = '-';
		for (i = 0; i < (size_t)kinds[k].hex; i++)
			out[o++] = hex[0][(h[i / 2] >> (i % 2 ? 0 : 4)) & 15];
	}
	text_buf_add(b, out, o);
	if (ext != NULL) {
		text_buf_add(b, ".", 1);
		text_buf_add(b, ext, extlen);
	}
	if (r->keep_map && fresh)	/* a cached one was remembered */
		remember(r, out, o, s, n);
}

/* ----------------------------------------------------- character classes */

static int
is_sep(int c)
{
	return c == '\\' || c == '/';
}

static int
eq_ci(const char *s, size_t n, const char *lit)
{
	/* the first letter first: most comparisons end there */
	return n > 0 && ((s[0] ^ lit[0]) & ~0x20) == 0 && strlen(lit) == n &&
	    strncasecmp(s, lit, n) == 0;
}

static const char *
memrchr_sep(const char *s, size_t n)
{
	while (n > 0)
		if (is_sep(s[--n]))
			return s + n;
	return NULL;
}

/* ------------------------------------------------------------ words */

/* Folders and files that say nothing about the customer. */
static const char *const keep_names[] = {
	".", "..", "?", "$Recycle.Bin", "AppData", "Azure Recovery Services Agent",
	"Bin", "CBEngine", "Config", "Default", "Desktop", "Documents",
	"Downloads", "DPM", "Favorites", "Local", "LocalLow", "Log", "Logs",
	"MARS", "Microsoft", "Microsoft Azure Backup Server",
	"Microsoft Azure Recovery Services Agent",
	"Microsoft Data Protection Manager", "Music", "Pictures", "Program Files",
	"Program Files (x86)", "ProgramData", "Public", "Recovery", "Roaming",
	"Scratch", "SSBStaging.vhd", "SSBStaging.vhdx", "System Volume Information",
	"System32", "SysWOW64", "Temp", "Tmp", "Users", "Videos", "Volume",
	"Windows", "Windows Azure Backup", "WindowsImageBackup", "WinSxS",
};

#define NKEEP (sizeof keep_names / sizeof keep_names[0])
static unsigned char keep_len[NKEEP];	/* filled by cclass_init() */

static int
keep_name(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < NKEEP; i++)
		if (keep_len[i] == n && ((s[0] ^ keep_names[i][0]) & ~0x20) == 0 &&
		    strncasecmp(s, keep_names[i], n) == 0)
			return 1;
	/* the agent's logs (CBEngineCurr.errlog, MSDPM3.errlog, their .Crash
	 * copies: a name of letters and digits, no host-like dashes) and
	 * failed-file lists */
	if (n > 21 && strncasecmp(s, "LastBackupFailedFiles", 21) == 0)
		return 1;
	for (i = 0; i < n && is_alnum((unsigned char)s[i]); i++)
		;
	return i > 0 && n - i >= 7 && strncasecmp(s + i, ".errlog", 7) == 0 &&
	    (n - i == 7 || s[i + 7] == '.');
}

/* Built-in accounts and domains: kept. */
static int
well_known_domain(const char *s, size_t n)
{
	return eq_ci(s, n, "BUILTIN") || eq_ci(s, n, "NT AUTHORITY") ||
	    eq_ci(s, n, "NT SERVICE") || eq_ci(s, n, "AUTHORITY") ||
	    eq_ci(s, n, "LOCAL SERVICE") || eq_ci(s, n, "NETWORK SERVICE") ||
	    eq_ci(s, n, "SYSTEM") || eq_ci(s, n, "Window Manager") ||
	    eq_ci(s, n, "Font Driver Host");
}

/* Last labels that make a dotted word a host name.  File extensions that
 * collide with country codes (.cs, .py, .sh, .md, .pl) are left out. */
static const char *const tlds[] = {
	"ad", "app", "at", "au", "be", "biz", "br", "ca", "ch", "cloud", "cn",
	"co", "com", "corp", "de", "dev", "dk", "domain", "edu", "es", "eu",
	"fi", "fr", "gov", "hk", "home", "ie", "in", "info", "int", "internal",
	"intra", "intranet", "io", "it", "jp", "kr", "lan", "local", "localdomain",
	"mil", "mx", "net", "nl", "no", "nz", "online", "org", "pl", "ru",
	"se", "sg", "test", "tw", "uk", "us", "za",
};

static int
is_tld(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof tlds / sizeof tlds[0]; i++)
		if (eq_ci(s, n, tlds[i]))
			return 1;
	return 0;
}

/* Microsoft's own service domains: the suffix and its service labels stay,
 * the labels before them (a storage account, a vault) are IDs. */
static const char *const ms_suffixes[] = {
	"windows.net", "windowsazure.com", "microsoft.com", "microsoftonline.com",
	"azure.com", "azure.net", "live.com", "msftauth.net", "msauth.net",
	"azure-automation.net", "trafficmanager.net", "azurewebsites.net",
};

static const char *const ms_labels[] = {
	"backup", "blob", "core", "dfs", "file", "go", "login", "management",
	"portal", "queue", "table", "www", "download", "aka", "graph",
};

static size_t
ms_suffix(const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < sizeof ms_suffixes / sizeof ms_suffixes[0]; i++) {
		k = strlen(ms_suffixes[i]);
		if (n > k && s[n - k - 1] == '.' &&
		    strncasecmp(s + n - k, ms_suffixes[i], k) == 0)
			return k;
		if (eq_ci(s, n, ms_suffixes[i]))
			return n;
	}
	return 0;
}

static int
ms_label(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof ms_labels / sizeof ms_labels[0]; i++)
		if (eq_ci(s, n, ms_labels[i]))
			return 1;
	return 0;
}

/* Labels that name the value after them (":" or "=" between). */
static const struct {
	const char *label;
	enum kind kind;
} labels[] = {
	{ "machine name", K_HOST }, { "machinename", K_HOST },
	{ "machine", K_HOST }, { "computer name", K_HOST },
	{ "computername", K_HOST }, { "computer", K_HOST },
	{ "server name", K_HOST }, { "servername", K_HOST },
	{ "host name", K_HOST }, { "hostname", K_HOST }, { "host", K_HOST },
	{ "fqdn", K_HOST }, { "dns name", K_HOST }, { "dnsname", K_HOST },
	{ "user name", K_USER }, { "username", K_USER }, { "user", K_USER },
	{ "account", K_USER }, { "account name", K_USER },
	{ "accountname", K_USER }, { "owner", K_USER },
	{ "domain", K_DOMAIN }, { "domain name", K_DOMAIN },
	{ "domainname", K_DOMAIN },
	{ "subscription", K_ID }, { "subscription id", K_ID },
	{ "subscriptionid", K_ID }, { "vault", K_ID }, { "vault name", K_ID },
	{ "vaultname", K_ID }, { "vault id", K_ID }, { "vaultid", K_ID },
	{ "resource id", K_ID }, { "resourceid", K_ID },
	{ "resource group", K_ID }, { "resourcegroup", K_ID },
	{ "resource name", K_ID }, { "resourcename", K_ID },
	{ "container", K_ID }, { "container name", K_ID },
	{ "containername", K_ID }, { "container id", K_ID },
	{ "containerid", K_ID }, { "storage account", K_ID },
	{ "storageaccount", K_ID }, { "storage account name", K_ID },
	{ "machine id", K_ID }, { "machineid", K_ID }, { "tenant", K_ID },
	{ "tenant id", K_ID }, { "tenantid", K_ID }, { "registration id", K_ID },
	{ "registrationid", K_ID }, { "vault credentials", K_ID },
};

#define NLABELS (sizeof labels / sizeof labels[0])
static unsigned char label_len[NLABELS];	/* filled by cclass_init() */

/* Azure resource path segments whose next segment is a customer's name. */
static const char *const url_keys[] = {
	"subscriptions", "resourceGroups", "vaults", "storageAccounts",
	"backupFabrics", "protectionContainers", "protectedItems",
	"virtualMachines", "machines", "servers", "containers", "tenants",
};

static int
url_key(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof url_keys / sizeof url_keys[0]; i++)
		if (eq_ci(s, n, url_keys[i]))
			return 1;
	return 0;
}

static void
table_lengths(void)
{
	size_t i;

	for (i = 0; i < NKEEP; i++)
		keep_len[i] = (unsigned char)strlen(keep_names[i]);
	for (i = 0; i < NLABELS; i++)
		label_len[i] = (unsigned char)strlen(labels[i].label);
}

/* The kind of the label that ends just before `at` in s (white space, then
 * ':' or '=', then white space may separate them), or -1. */
static int
label_before(const char *s, size_t at)
{
	size_t p = at, i, k;

	while (p > 0 && s[p - 1] == ' ')
		p--;
	if (p == 0 || (s[p - 1] != ':' && s[p - 1] != '='))
		return -1;
	p--;
	while (p > 0 && s[p - 1] == ' ')
		p--;
	for (i = 0; i < NLABELS; i++) {
		k = label_len[i];
		/* the last letter first: most labels end there */
		if (p < k || ((s[p - 1] ^ labels[i].label[k - 1]) & ~0x20) != 0)
			continue;
		if (p >= k && strncasecmp(s + p - k, labels[i].label, k) == 0 &&
		    (p == k || !is_alnum((unsigned char)s[p - k - 1])))
			return (int)labels[i].kind;
	}
	return -1;
}

/* ------------------------------------------------------------ shapes */

static int
is_guid(const char *s, size_t n)
{
	size_t i;

	if (n != 36)
		return 0;
	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' :
		    !is_hex((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
has_upper(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return 1;
	return 0;
}

/* Punctuation that ends a sentence rather than a name. */
static int
is_trail(int c)
{
	return cclass[c & 0xFF] & C_TRAIL;
}
static int
is_ipv4(const char *s, size_t n)
{
	size_t i = 0;
	int part, digits, parts = 0;

	while (parts < 4) {
		for (part = 0, digits = 0; i < n && s[i] >= '0' && s[i] <= '9' &&
		    digits < 4; i++, digits++)
			part = part * 10 + (s[i] - '0');
		if (digits == 0 || digits > 3 || part > 255)
			return 0;
		if (++parts < 4) {
			if (i >= n || s[i] != '.')
				return 0;
			i++;
		}
	}
	return i == n;
}

static int
is_ipv6(const char *s, size_t n)
{
	size_t i, colons = 0, group = 0;
	int dbl = 0, digits = 0;

	if (n < 3 || n > 45)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == ':') {
			if (i + 1 < n && s[i + 1] == ':')
				dbl++;
			colons++;
			group = 0;
		} else if (is_hex((unsigned char)s[i])) {
			if (++group > 4)
				return 0;
			digits++;
		} else if (s[i] == '%') {	/* zone index */
			break;
		} else {
			return 0;
		}
	}
	return digits > 0 && dbl <= 1 && ((dbl == 1 && colons >= 2) ||
	    colons == 7);
}

/* A dotted host name: two or more labels, the last a known TLD. */
static int
is_fqdn(const char *s, size_t n)
{
	const char *dot = NULL;
	size_t i;

	if (memchr(s, '.', n) == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (i == 0 || s[i - 1] == '.' || i + 1 == n)
				return 0;
			dot = s + i;
		} else if (!is_alnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_') {
			return 0;
		}
	}
	return dot != NULL && (is_tld(dot + 1, (size_t)(s + n - dot - 1)) ||
	    ms_suffix(s, n) > 0);
}

/* ------------------------------------------------------------ writers */

static void
put_fqdn(struct redactor *r, struct text_buf *b, const char *s, size_t n)
{
	size_t ms = ms_suffix(s, n), end = ms ? n - ms : n, i = 0, j;
	const char *dot;

	if (ms == n) {			/* microsoft.com itself */
		text_buf_add(b, s, n);
		return;
	}
	if (ms == 0) {			/* host.middle.tld */
		dot = memchr(s, '.', n);
		pseudo(r, b, K_HOST, s, (size_t)(dot - s), NULL, 0, 0);
		j = (size_t)((const char *)memrchr(s, '.', n) - s);
		if (j > (size_t)(dot - s)) {
			text_buf_add(b, ".", 1);
			pseudo(r, b, K_DOMAIN, dot + 1, j - (size_t)(dot - s) - 1,
			    NULL, 0, 0);
		}
		text_buf_add(b, s + j, n - j);
		return;
	}
	/* account.blob.core.windows.net: labels before the suffix */
	while (i < end) {
		dot = memchr(s + i, '.', end - i);
		j = dot ? (size_t)(dot - s) : end;
		if (ms_label(s + i, j - i))
			text_buf_add(b, s + i, j - i);
		else
			pseudo(r, b, K_ID, s + i, j - i, NULL, 0, 0);
		text_buf_add(b, ".", 1);
		i = j + 1;
	}
	text_buf_add(b, s + n - ms, ms);
}

/* The extension of a file name (after its last dot, 1-8 letters or
 * digits), or 0. */
static size_t
ext_len(const char *s, size_t n)
{
	size_t i = n;

	while (i > 0 && n - i < 9 && is_alnum((unsigned char)s[i - 1]))
		i--;
	return i > 1 && i < n && s[i - 1] == '.' && n - i <= 8 ? n - i : 0;
}

/* The input's machine name, once per call: its occurrences are
 * replaced too (not "stdin", "local" or a one-letter name). */
struct ctx {
	const char *name;	/* NULL: none */
	size_t len;
	int masked;		/* redact_template(): paths and GUIDs are
				 * masked, not named */
};

static struct ctx
ctx_of(const char *machine)
{
	struct ctx c = { NULL, 0, 0 };

	if (machine != NULL && strcmp(machine, "stdin") != 0 &&
	    strcmp(machine, "local") != 0 && strlen(machine) >= 2) {
		c.name = machine;
		c.len = strlen(machine);
	}
	return c;
}

static int
same_name(const char *s, size_t n, const struct ctx *cx)
{
	return cx->name != NULL && cx->len == n &&
	    strncasecmp(s, cx->name, n) == 0;
}

/* One path component; `prev` is the one before it (for C:\Users\NAME). */
static void
put_component(struct redactor *r, struct text_buf *b, const char *s,
    size_t n, const char *prev, size_t prevlen, int last, const struct ctx *cx)
{
	size_t e = ext_len(s, n);

	size_t stem = (size_t)((const char *)memchr(s, '.', n) != NULL ?
	    (const char *)memchr(s, '.', n) - s : (ptrdiff_t)n);

	if (same_name(s, stem, cx) && stem < n) {	/* FS07.errlog */
		pseudo(r, b, K_HOST, s, stem, s + stem + 1, n - stem - 1, 0);
	} else if (n == 0 || keep_name(s, n) ||
	    (n == 2 && s[1] == ':' && is_alnum((unsigned char)s[0]))) {
		text_buf_add(b, s, n);
	} else if (prev != NULL && (eq_ci(prev, prevlen, "Users") ||
	    eq_ci(prev, prevlen, "Documents and Settings"))) {
		pseudo(r, b, K_USER, s, n, NULL, 0, 0);
	} else if (is_guid(s, n)) {
		pseudo(r, b, K_GUID, s, n, NULL, 0, has_upper(s, n));
	} else if (same_name(s, n, cx) ||
	    (e > 0 && same_name(s, n - e - 1, cx))) {
		pseudo(r, b, K_HOST, s, e > 0 ? n - e - 1 : n, e > 0 ?
		    s + n - e : NULL, e, 0);
	} else if (last && e > 0) {
		pseudo(r, b, K_FILE, s, n, s + n - e, e, 0);
	} else {
		pseudo(r, b, K_DIR, s, n, NULL, 0, 0);
	}
}

/* Components separated by '\', '/' or '!' (kept as they are). */
static void
put_components(struct redactor *r, struct text_buf *b, const char *s,
    size_t n, const struct ctx *cx)
{
	const char *prev = NULL;
	size_t i = 0, j, prevlen = 0;

	while (i <= n) {
		for (j = i; j < n && !is_sep((unsigned char)s[j]) && s[j] != '!';
		    j++)
			;
		put_component(r, b, s + i, j - i, prev, prevlen,
		    j == n || s[j] == '!', cx);
		prev = s + i;
		prevlen = j - i;
		if (j < n)
			text_buf_add(b, s + j, 1);
		i = j + 1;
	}
}

/* \\server\share\rest, \\?\ and \\.\ device paths. */
static void
put_unc(struct redactor *r, struct text_buf *b, const char *s, size_t n,
    const struct ctx *cx)
{
	size_t i = 2, j;

	text_buf_add(b, s, 2);
	if (n > 2 && (s[2] == '?' || s[2] == '.') && (n == 3 ||
	    is_sep((unsigned char)s[3]))) {
		put_components(r, b, s + 2, n - 2, cx);
		return;
	}
	for (j = i; j < n && !is_sep((unsigned char)s[j]); j++)
		;
	if (is_ipv4(s + i, j - i))
		pseudo(r, b, K_IP, s + i, j - i, NULL, 0, 0);
	else if (is_fqdn(s + i, j - i))
		put_fqdn(r, b, s + i, j - i);
	else if (j > i)
		pseudo(r, b, K_HOST, s + i, j - i, NULL, 0, 0);
	if (j >= n)
		return;
	text_buf_add(b, s + j, 1);
	for (i = j + 1, j = i; j < n && !is_sep((unsigned char)s[j]); j++)
		;
	if (j > i)
		pseudo(r, b, K_SHARE, s + i, j - i, NULL, 0, 0);
	if (j < n) {
		text_buf_add(b, s + j, 1);
		put_components(r, b, s + j + 1, n - j - 1, cx);
	}
}

static void
path_put(struct redactor *r, struct text_buf *b, const char *path,
    size_t n, const struct ctx *cx)
{
	if (n >= 2 && is_sep((unsigned char)path[0]) &&
	    is_sep((unsigned char)path[1]))
		put_unc(r, b, path, n, cx);
	else
		put_components(r, b, path, n, cx);
}

void
redact_machine(struct redactor *r, struct text_buf *b, const char *name)
{
	size_t n = strlen(name);

	if (strcmp(name, "stdin") == 0 || strcmp(name, "local") == 0)
		text_buf_add(b, name, n);
	else
		pseudo(r, b, K_HOST, name, n, NULL, 0, 0);
}

void
redact_guid(struct redactor *r, struct text_buf *b, const char *guid)
{
	size_t n = strlen(guid);

	if (is_guid(guid, n))
		pseudo(r, b, K_GUID, guid, n, NULL, 0, has_upper(guid, n));
	else
		redact_text(r, b, guid, n, NULL);
}

/* ------------------------------------------------------------- tokens */

static void put_token(struct redactor *r, struct text_buf *b, const char *s,
    size_t n, int label, const struct ctx *cx);

/* scheme://host[:port]/seg/seg?k=v#frag */
static void
put_url(struct redactor *r, struct text_buf *b, const char *s, size_t n,
    const struct ctx *cx)
{
	const char *p = strstr(s, "://");
	size_t i = (size_t)(p - s) + 3, j, k;
	int after_key = 0;

	text_buf_add(b, s, i);
	for (j = i; j < n && s[j] != '/' && s[j] != '?' && s[j] != '#'; j++)
		;
	/* user@ and :port */
	p = memchr(s + i, '@', j - i);
	if (p != NULL) {
		text_buf_adds(b, "user@");
		i = (size_t)(p - s) + 1;
	}
	for (k = i; k < j && s[k] != ':'; k++)
		;
	put_token(r, b, s + i, k - i, -1, cx);
	text_buf_add(b, s + k, j - k);
	while (j < n && s[j] == '/') {
		text_buf_add(b, "/", 1);
		for (i = ++j; j < n && s[j] != '/' && s[j] != '?' && s[j] != '#';
		    j++)
			;
		if (j == i)
			continue;
		if (after_key || is_guid(s + i, j - i))
			pseudo(r, b, is_guid(s + i, j - i) ? K_GUID : K_ID,
			    s + i, j - i, NULL, 0, has_upper(s + i, j - i));
		else
			put_token(r, b, s + i, j - i, -1, cx);
		after_key = url_key(s + i, j - i);
	}
	if (j < n) {	/* query and fragment: keys stay, values go */
		for (i = j; i < n; i = k) {
			text_buf_add(b, s + i, 1);
			for (k = ++i; k < n && s[k] != '=' && s[k] != '&' &&
			    s[k] != '#'; k++)
				;
			text_buf_add(b, s + i, k - i);
			if (k < n && s[k] == '=') {
				text_buf_add(b, "=", 1);
				for (i = ++k; k < n && s[k] != '&' && s[k] != '#';
				    k++)
					;
				if (k > i)
					pseudo(r, b, K_ID, s + i, k - i, NULL, 0, 0);
			}
		}
	}
}

/* Every occurrence of the machine name in s, bounded by non-alphanumerics. */
static void
put_plain(struct redactor *r, struct text_buf *b, const char *s, size_t n,
    const struct ctx *cx)
{
	size_t m = cx->len, i, from = 0;

	if (cx->name != NULL)
		for (i = 0; i + m <= n; i++)
			if (((s[i] ^ cx->name[0]) & ~0x20) == 0 &&
			    strncasecmp(s + i, cx->name, m) == 0 &&
			    (i == 0 || !is_alnum((unsigned char)s[i - 1])) &&
			    (i + m == n || !is_alnum((unsigned char)s[i + m]))) {
				text_buf_add(b, s + from, i - from);
				pseudo(r, b, K_HOST, s + i, m, NULL, 0, 0);
				from = i + m;
				i += m - 1;
			}
	text_buf_add(b, s + from, n - from);
}

/* DOMAIN\user, or a relative path. */
static void
put_backslash(struct redactor *r, struct text_buf *b, const char *s,
    size_t n, const struct ctx *cx)
{
	const char *bs = memchr(s, '\\', n);
	size_t left = (size_t)(bs - s), i;
	int domain = left > 0 && left <= 15 && left + 1 < n &&
	    memchr(bs + 1, '\\', n - left - 1) == NULL &&
	    memchr(s, '.', n) == NULL && memchr(s, '/', n) == NULL;

	for (i = 0; domain && i < left; i++)
		domain = is_alnum((unsigned char)s[i]) || s[i] == '-';
	if (!domain || keep_name(s, left) || keep_name(bs + 1, n - left - 1)) {
		put_components(r, b, s, n, cx);
	} else if (well_known_domain(s, left)) {
		text_buf_add(b, s, n);
	} else {
		pseudo(r, b, same_name(s, left, cx) ? K_HOST : K_DOMAIN, s,
		    left, NULL, 0, 0);
		text_buf_add(b, "\\", 1);
		pseudo(r, b, K_USER, bs + 1, n - left - 1, NULL, 0, 0);
	}
}

/* local@domain */
static int
put_email(struct redactor *r, struct text_buf *b, const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);
	size_t l, d;

	if (at == NULL || at == s)
		return 0;
	l = (size_t)(at - s);
	d = n - l - 1;
	if (d == 0 || memchr(at + 1, '@', d) != NULL)
		return 0;
	pseudo(r, b, K_USER, s, l, NULL, 0, 0);
	text_buf_add(b, "@", 1);
	if (is_fqdn(at + 1, d))
		put_fqdn(r, b, at + 1, d);
	else
		pseudo(r, b, K_DOMAIN, at + 1, d, NULL, 0, 0);
	return 1;
}

/* A token (no white space or delimiters).  label: the kind named by a
 * label before it, or -1. */
static void
put_token(struct redactor *r, struct text_buf *b, const char *s, size_t n,
    int label, const struct ctx *cx)
{
	const char *eq;
	size_t port = n, i;

	if (n == 0)
		return;
	/* most tokens are words: only a GUID, a label's value or the
	 * machine's name can be one of those */
	for (i = 0; i < n && (is_alnum((unsigned char)s[i]) || s[i] == '-' ||
	    s[i] == '_'); i++)
		;
	if (i == n) {
		if (is_guid(s, n) && cx->masked)
			text_buf_add(b, "<guid>", 6);
		else if (is_guid(s, n))
			pseudo(r, b, K_GUID, s, n, NULL, 0, has_upper(s, n));
		else if (label >= 0 && (label == K_ID ||
		    !((s[0] >= '0' && s[0] <= '9') || s[0] == '-')))
			pseudo(r, b, (enum kind)label, s, n, NULL, 0, 0);
		else
			put_plain(r, b, s, n, cx);
		return;
	}
	if (n > 3 && memmem(s, n, "://", 3) != NULL) {
		put_url(r, b, s, n, cx);
		return;
	}
	if (n >= 2 && is_sep((unsigned char)s[0]) &&
	    is_sep((unsigned char)s[1])) {
		put_unc(r, b, s, n, cx);
		return;
	}
	if (n >= 3 && is_alnum((unsigned char)s[0]) && s[1] == ':' &&
	    is_sep((unsigned char)s[2])) {
		put_components(r, b, s, n, cx);
		return;
	}
	/* key=value: the key is a label for the value */
	eq = memchr(s, '=', n);
	if (eq != NULL && eq > s) {
		i = (size_t)(eq - s) + 1;
		put_token(r, b, s, i - 1, -1, cx);
		text_buf_add(b, "=", 1);
		put_token(r, b, s + i, n - i, label_before(s, i), cx);
		return;
	}
	if (memchr(s, '\\', n) != NULL) {
		put_backslash(r, b, s, n, cx);
		return;
	}
	if (is_guid(s, n)) {
		pseudo(r, b, K_GUID, s, n, NULL, 0, has_upper(s, n));
		return;
	}
	if (memchr(s, '@', n) != NULL && put_email(r, b, s, n))
		return;
	if (is_ipv6(s, n)) {
		pseudo(r, b, K_IP6, s, n, NULL, 0, 0);
		return;
	}
	/* host:port, 1.2.3.4:port */
	for (i = n; i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9'; i--)
		;
	if (i > 1 && i < n && s[i - 1] == ':')
		port = i - 1;
	if (is_ipv4(s, port)) {
		pseudo(r, b, K_IP, s, port, NULL, 0, 0);
	} else if (is_fqdn(s, port)) {
		put_fqdn(r, b, s, port);
	} else if (label >= 0 && (label == K_ID ||
	    !((s[0] >= '0' && s[0] <= '9') || s[0] == '-'))) {
		pseudo(r, b, (enum kind)label, s, port, NULL, 0, 0);
	} else {
		put_plain(r, b, s, port, cx);
	}
	text_buf_add(b, s + port, n - port);
}

/* A path whose last component has no extension may end in a file name
 * with spaces ("...\Jane Doe Salary.xlsx"): if one of the next
 * NAME_WORDS words ends in an extension and those before it are plain
 * words, the path ends there. */
static size_t
file_name_end(const char *s, size_t n, size_t end)
{
	const char *last = memrchr_sep(s, end);
	size_t k = end, w, words;

	if (last == NULL || ext_len(last + 1, end - (size_t)(last + 1 - s)))
		return end;
	for (words = 0; words < NAME_WORDS && k < n && s[k] == ' '; words++) {
		k++;
		for (w = k; w < n && (is_alnum((unsigned char)s[w]) ||
		    strchr("-_.&$~+", s[w]) != NULL ||
		    (unsigned char)s[w] >= 0x80); w++)
			;
		if (w == k || (w < n && !is_space((unsigned char)s[w]) &&
		    !is_trail((unsigned char)s[w]) && !is_delim(s[w])))
			return end;
		while (w > k && is_trail((unsigned char)s[w - 1]))
			w--;	/* "Salary.xlsx." ends a sentence */
		if (ext_len(s + k, w - k) > 0 && !(s[w - 1] >= '0' &&
		    s[w - 1] <= '9' && ext_len(s + k, w - k) == w - k - 1))
			return w;
		k = w;
	}
	return end;
}

/* Where a drive or UNC path that starts at s[0] and whose first word ends
 * at `end` really ends: it goes on over spaces while a later word (within
 * JOIN_WORDS) continues it with a separator and does not start a path of
 * its own. */
static size_t
path_end(const char *s, size_t n, size_t end)
{
	size_t k = end, w, words = 0, e;
	const char *last = memrchr_sep(s, end);

	/* a last component with an extension is a file: the path is done */
	if (last != NULL && ext_len(last + 1, end - (size_t)(last + 1 - s)))
		return end;
	while (words++ < JOIN_WORDS && k < n && s[k] == ' ') {
		while (k < n && s[k] == ' ')
			k++;
		for (w = k; w < n && !is_space((unsigned char)s[w]) &&
		    s[w] != '"' && s[w] != '\'' && s[w] != ',' && s[w] != ';' &&
		    s[w] != '|' && s[w] != '<' && s[w] != '>'; w++)
			;
		if (w == k || (w - k >= 2 && (s[k + 1] == ':' ||
		    (is_sep((unsigned char)s[k]) &&
		    is_sep((unsigned char)s[k + 1])))))
			break;
		if (memrchr_sep(s + k, w - k) != NULL) {
			end = w;
			last = memrchr_sep(s + k, w - k);
			e = w - (size_t)(last + 1 - s);
			if (ext_len(last + 1, e))
				break;
		}
		k = w;
	}
	end = file_name_end(s, n, end);
	/* trailing punctuation is the sentence's, not the path's */
	while (end > 0 && (is_trail((unsigned char)s[end - 1]) ||
	    s[end - 1] == ')') &&
	    !(end >= 2 && is_sep((unsigned char)s[end - 2])))
		end--;
	return end;
}

/* s[0, n) is a word that put_token() would copy unchanged: letters,
 * digits, '-' and '_' only, no GUID, and not the machine's name. */
static int
plain_word(const char *s, size_t n, const struct ctx *cx)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_alnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
	if (n >= 32 && is_guid(s, n))
		return 0;
	if (cx->name != NULL)
		for (i = 0; i + cx->len <= n; i++)
			if (((s[i] ^ cx->name[0]) & ~0x20) == 0 &&
			    strncasecmp(s + i, cx->name, cx->len) == 0)
				return 0;
	return 1;
}

/*
 * The tokens of s, each redacted by its shape.  Most of a message is
 * spaces and plain words: they are not copied one by one but left
 * pending and appended as one span when the next token that changes (or
 * the end) is reached, which keeps --redact cheap on long messages.
 */
static void
text_put(struct redactor *r, struct text_buf *b, const char *s, size_t n,
    const struct ctx *cx)
{
	size_t i = 0, j, end, close, from = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (is_space(c) || is_delim(c)) {
			for (j = i + 1; j < n && (is_space((unsigned char)s[j]) ||
			    is_delim((unsigned char)s[j])); j++)
				;
			i = j;
			continue;
		}
		for (j = i; j < n && !is_space((unsigned char)s[j]) &&
		    !is_delim((unsigned char)s[j]); j++)
			;
		end = j;
		if ((j - i >= 3 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
		    s[i + 1] == ':' &&
		    is_sep((unsigned char)s[i + 2])) ||
		    (j - i >= 2 && is_sep(c) && is_sep((unsigned char)s[i + 1]))) {
			/* a quoted path is taken whole, spaces and all */
			if (i > 0 && (s[i - 1] == '\'' || s[i - 1] == '"')) {
				const char *q = memchr(s + i, s[i - 1],
				    n - i < QUOTED_MAX ? n - i : QUOTED_MAX);

				close = q ? (size_t)(q - s) : 0;
				end = close > i ? close : path_end(s, n, j);
			} else {
				end = path_end(s, n, j);
			}
			if (end <= i)
				end = j;
			text_buf_add(b, s + from, i - from);
			if (cx->masked)
				text_buf_add(b, "<path>", 6);
			else
				path_put(r, b, s + i, end - i, cx);
			i = from = end;
			continue;
		}
		/* trailing punctuation stays outside the token */
		while (end > i + 1 && is_trail((unsigned char)s[end - 1]))
			end--;
		if (plain_word(s + i, end - i, cx) && label_before(s, i) < 0) {
			i = j;		/* unchanged: stays pending */
			continue;
		}
		text_buf_add(b, s + from, i - from);
		put_token(r, b, s + i, end - i, label_before(s, i), cx);
		i = from = end;
	}
	text_buf_add(b, s + from, n - from);
}

void
redact_path(struct redactor *r, struct text_buf *b, const char *path,
    size_t n, const char *machine)
{
	struct ctx cx = ctx_of(machine);

	path_put(r, b, path, n, &cx);
}

void
redact_text(struct redactor *r, struct text_buf *b, const char *s,
    size_t n, const char *machine)
{
	struct ctx cx = ctx_of(machine);

	text_put(r, b, s, n, &cx);
}

void
redact_template(struct redactor *r, struct text_buf *b, const char *s,
    size_t n, const char *machine)
{
	struct ctx cx = ctx_of(machine);

	cx.masked = 1;
	text_put(r, b, s, n, &cx);
}

/* ---------------------------------------------------------------- map */

static int
pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strcmp(x->pseudo, y->pseudo);

	return c != 0 ? c : strcmp(x->orig, y->orig);
}

static void
put_escaped(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '\t': fputs("\\t", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\\': fputs("\\\\", f); break;
		default: fputc(*s, f);
		}
}

int
redactor_map_write(struct redactor *r, FILE *f)
{
	size_t i;

	pthread_mutex_lock(&r->lock);
	compact(r);
	fputs("# marslog --redact-map: pseudonym<TAB>original. Keep this file "
	    "private; never attach it to a report.\n", f);
	for (i = 0; i < r->npairs; i++) {
		fputs(r->pairs[i].pseudo, f);
		fputc('\t', f);
		put_escaped(f, r->pairs[i].orig);
		fputc('\n', f);
	}
	pthread_mutex_unlock(&r->lock);
	return ferror(f) || r->oom ? -1 : 0;
}
