/* kac-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kac-catalog.h"
#include "kac-store.h"

G_BEGIN_DECLS

#define KAC_TYPE_WINDOW (kac_window_get_type ())

G_DECLARE_FINAL_TYPE (KacWindow, kac_window, KAC, WINDOW, AdwApplicationWindow)

/* With @store NULL the window explains @store_error instead of showing the pages: a store that
 * cannot be opened is never replaced by an empty one. */
KacWindow *kac_window_new        (GtkApplication *application,
                                  KacStore       *store,
                                  const GError   *store_error,
                                  KacCatalog     *catalog);
void       kac_window_show_toast (KacWindow      *self,
                                  AdwToast       *toast);
/* Presents the sign-in dialog (the one already open, if any). */
void       kac_window_show_sign_in (KacWindow    *self);
/* Shows the Notices page with notice @id, or the Materials page with material @id opened. */
void       kac_window_show_notice   (KacWindow   *self,
                                     const char  *id);
void       kac_window_show_material (KacWindow   *self,
                                     const char  *id);

G_END_DECLS
