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
 * Binds the text domain to localedir; lang ("ja", "en"), when not NULL,
 * overrides the locale's choice of language.
 */
void ks_i18n_init(const char *localedir, const char *lang);

#endif
