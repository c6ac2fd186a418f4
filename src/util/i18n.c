/*
 * i18n.c - binding kansatsu's gettext catalogue (see i18n.h).
 *
 * The language normally follows the locale (LANGUAGE, LC_ALL,
 * LC_MESSAGES, LANG); --lang overrides it through LANGUAGE, which GNU
 * gettext consults first unless the locale is "C".  Many hosts have only
 * C.UTF-8 installed, where setlocale("ja_JP.UTF-8") fails and gettext
 * would fall back to English: then the language named in the environment
 * is carried over to LANGUAGE with LC_MESSAGES set to C.UTF-8, which
 * gettext honours (a plain "C" it does not), so LANG=ja_JP.UTF-8 gives
 * Japanese even without the Japanese locale.
 */
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

/* The locale the environment asks for messages, or NULL. */
static const char *
env_locale(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof(vars) / sizeof(*vars); i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && v[0] != '\0')
			return v;
	}
	return NULL;
}

static bool
is_c(const char *loc)
{
	return loc == NULL || strcmp(loc, "C") == 0 ||
	    strcmp(loc, "POSIX") == 0;
}

/* LANGUAGE from a locale name: "ja_JP.UTF-8@x" -> "ja_JP". */
static void
language_from(const char *loc)
{
	char lang[32];
	size_t n = strcspn(loc, ".@");

	if (n == 0 || n >= sizeof(lang))
		return;
	memcpy(lang, loc, n);
	lang[n] = '\0';
	setenv("LANGUAGE", lang, 1);
}

void
ks_i18n_init(const char *localedir, const char *lang)
{
	const char *env = getenv("KANSATSU_LOCALEDIR");
	const char *set = setlocale(LC_MESSAGES, "");
	const char *want = env_locale();
	const char *language = getenv("LANGUAGE");

	if (env != NULL && env[0] != '\0')
		localedir = env;
	if (lang != NULL) {
		setenv("LANGUAGE", lang, 1);
		/* gettext ignores LANGUAGE in the C locale */
		if (is_c(set) && setlocale(LC_MESSAGES, "C.UTF-8") == NULL)
			setlocale(LC_MESSAGES, "");
	} else if (is_c(set) && ((want != NULL && !is_c(want)) ||
	    (language != NULL && language[0] != '\0' && !is_c(want)))) {
		if (language == NULL || language[0] == '\0')
			language_from(want);
		setlocale(LC_MESSAGES, "C.UTF-8");
	}
	bindtextdomain("kansatsu", localedir);
	bind_textdomain_codeset("kansatsu", "UTF-8");
	textdomain("kansatsu");
}
