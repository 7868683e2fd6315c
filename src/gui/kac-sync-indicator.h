/* kac-sync-indicator.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kac-sync-engine.h"

G_BEGIN_DECLS

#define KAC_TYPE_SYNC_INDICATOR (kac_sync_indicator_get_type ())

G_DECLARE_FINAL_TYPE (KacSyncIndicator, kac_sync_indicator, KAC, SYNC_INDICATOR, GtkWidget)

/* Properties:
 *   "engine"             KacSyncEngine or NULL (no central system configured)
 *   "restoring-sign-in"  boolean: the remembered sign-in is being read from the keyring
 */
GtkWidget     *kac_sync_indicator_new                   (void);
KacSyncEngine *kac_sync_indicator_get_engine            (KacSyncIndicator *self);
void           kac_sync_indicator_set_engine            (KacSyncIndicator *self,
                                                         KacSyncEngine    *engine);
void           kac_sync_indicator_set_restoring_sign_in (KacSyncIndicator *self,
                                                         gboolean          restoring);
/* What the header bar says right now ("Offline — 14 waiting"), and the popover's title. */
const char    *kac_sync_indicator_get_label             (KacSyncIndicator *self);
/* TRUE while the spinner turns. */
gboolean       kac_sync_indicator_is_spinning           (KacSyncIndicator *self);
void           kac_sync_indicator_popup                 (KacSyncIndicator *self);
void           kac_sync_indicator_popdown               (KacSyncIndicator *self);

G_END_DECLS
