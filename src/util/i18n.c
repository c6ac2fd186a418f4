/*
 * i18n.c - binding kansatsu's gettext catalogue (see i18n.h).
 *
 * The language normally follows the locale (LANG, LC_MESSAGES); --lang
 * overrides it through LANGUAGE, which GNU gettext consults first, so
 * that `--lang ja` works even where only C.UTF-8 exists.
 */
#include <locale.h>
#include <stdlib.h>

#include "util/i18n.h"

void
ks_i18n_init(const char *localedir, const char *lang)
{
	setlocale(LC_MESSAGES, "");
	if (lang != NULL) {
		setenv("LANGUAGE", lang, 1);
		/* gettext ignores LANGUAGE in the C locale */
		if (setlocale(LC_MESSAGES, "C.UTF-8") == NULL)
			setlocale(LC_MESSAGES, "");
	}
	bindtextdomain("kansatsu", localedir);
	bind_textdomain_codeset("kansatsu", "UTF-8");
	textdomain("kansatsu");
}
