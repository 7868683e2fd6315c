/* kac-register-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kac-catalog.h"
#include "kac-record.h"
#include "kac-store.h"

G_BEGIN_DECLS

#define KAC_TYPE_REGISTER_PAGE (kac_register_page_get_type ())

G_DECLARE_FINAL_TYPE (KacRegisterPage, kac_register_page, KAC, REGISTER_PAGE, GtkWidget)

/* Signal "saved" (KacRecord *record, gboolean corrected): emitted after the store committed the
 * record; the form has been reset already. */
void     kac_register_page_setup           (KacRegisterPage *self,
                                            KacStore        *store,
                                            KacCatalog      *catalog,
                                            GSettings       *settings);
/* Loads a queued or rejected record into the form; Save then corrects it. */
void     kac_register_page_edit_record     (KacRegisterPage *self,
                                            KacRecord       *record);
gboolean kac_register_page_is_correcting   (KacRegisterPage *self);
/* Clears the form for the next client (keeps kind and channel) and leaves correction mode. */
void     kac_register_page_reset           (KacRegisterPage *self);
void     kac_register_page_focus_first     (KacRegisterPage *self);
/* Shows again whether the picked service's specialist is at the centre now (MK 401 §20.8; only
 * in regional and national centres), e.g. after new notices arrived. */
void     kac_register_page_update_presence (KacRegisterPage *self);

G_END_DECLS
