/* kac-notices-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kac-store.h"

G_BEGIN_DECLS

#define KAC_TYPE_NOTICES_PAGE (kac_notices_page_get_type ())

G_DECLARE_FINAL_TYPE (KacNoticesPage, kac_notices_page, KAC, NOTICES_PAGE, GtkWidget)

/* The seven institutions of the minimum service basket (MK 401 Annex 1), NULL-terminated. */
const char * const *kac_basket_institutions (void);
/* The institution's name in Latvian, or @code itself when it is not one of the seven. */
const char *kac_basket_institution_name     (const char *code);

void      kac_notices_page_set_store   (KacNoticesPage *self,
                                        KacStore       *store);
/* Reads the notices again and recomputes "today" for the current minute (the page does so
 * by itself each minute while it exists). */
void      kac_notices_page_refresh     (KacNoticesPage *self);
/* Shows and selects notice @id (e.g. from a notification). FALSE if it is not in the store. */
gboolean  kac_notices_page_show_notice (KacNoticesPage *self,
                                        const char     *id);

/* Tests: the "today" row of @institution (an AdwActionRow; CSS class "present", "substitute",
 * "absent" or "away"), and the notice rows' list. */
GtkWidget *_kac_notices_page_get_today_row (KacNoticesPage *self,
                                            const char     *institution);
GtkListBox *_kac_notices_page_get_notice_list (KacNoticesPage *self);

G_END_DECLS
