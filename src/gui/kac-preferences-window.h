/* kac-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KAC_TYPE_PREFERENCES_WINDOW (kac_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (KacPreferencesWindow, kac_preferences_window, KAC, PREFERENCES_WINDOW, AdwPreferencesWindow)

KacPreferencesWindow *kac_preferences_window_new (GtkWindow *parent);

G_END_DECLS
