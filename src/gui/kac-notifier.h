/* kac-notifier.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Desktop notifications (libnotify; through the notification portal inside Flatpak) for the
 * staff notices a clerk must act on at once — absences and substitutions (MK 401 §19.3–19.4) —
 * and for new or updated methodological materials. The rest of the desk never talks to
 * libnotify: it hands the notifier the sync engine, or the items a pull announced.
 *
 * Activating a notification ("default" action) activates "show-notice" or "show-material"
 * (parameter: the item's id, type "s") on the action group given at construction, normally
 * the application. The GSettings key "notifications-enabled" turns them all off. The store
 * already announces each item-version once (kac-store-materials.h); the notifier adds nothing
 * that could announce it again.
 */
#pragma once

#include <gio/gio.h>

#include "kac-sync-engine.h"
#include "kac-wire.h"

G_BEGIN_DECLS

#define KAC_TYPE_NOTIFIER (kac_notifier_get_type ())

G_DECLARE_FINAL_TYPE (KacNotifier, kac_notifier, KAC, NOTIFIER, GObject)

/* @actions: where activation goes (weakly referenced); @settings: the desk's settings. */
KacNotifier *kac_notifier_new             (GActionGroup          *actions,
                                           GSettings             *settings);
/* Follows the engine's "notice-arrived" and "material-changed" (NULL: none). The two
 * functions below are what those signals call, with the same arguments. */
void         kac_notifier_set_engine      (KacNotifier           *self,
                                           KacSyncEngine         *engine);
/* Shows one notification, unless notifications are off. Absences and substitutions only:
 * other kinds of notice return FALSE and show nothing. TRUE when one was sent. */
gboolean     kac_notifier_notify_notice   (KacNotifier           *self,
                                           const KacWireNotice   *notice);
gboolean     kac_notifier_notify_material (KacNotifier           *self,
                                           const char            *id,
                                           gboolean               is_update,
                                           const char            *institution,
                                           const char            *title);
/* The sentence a notification shows as its title (for the pages and the tests). */
char        *kac_notifier_dup_notice_summary   (const KacWireNotice   *notice);
char        *kac_notifier_dup_material_summary (gboolean               is_update,
                                                const char            *institution,
                                                const char            *title);

G_END_DECLS
