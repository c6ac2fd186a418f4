/*
 * i18n.h - user-facing text through gettext.
 *
 * Every string a person reads (messages, finding titles and advice,
 * report labels) is written as _("...") or, in static tables, N_("...")
 * and translated where it is printed with _(). The catalogue is the
 * "kansatsu" text domain; ks_i18n_init binds it once from main.
 */
#ifndef KS_I18N_H
#define KS_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/*
 * _() for text that comes from data (rule titles, advice) and may be
 * empty: gettext("") would return the catalogue's header.
 */
static inline const char *
ks_tr(const char *s)
{
	return s != NULL && s[0] != '\0' ? gettext(s) : s;
}

/*
 * Binds the text domain to localedir, or to $KANSATSU_LOCALEDIR when set
 * (an uninstalled build: the tests point it at the build's po/); lang
 * ("ja", "en"), when not NULL, overrides the locale's choice of language.
 * May be called again (kansatsu report --lang).
 */
void ks_i18n_init(const char *localedir, const char *lang);

#endif
