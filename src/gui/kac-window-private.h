/* kac-window-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the UI test needs to see of the window and nothing else uses.
 */
#pragma once

#include "kac-sign-in-dialog.h"
#include "kac-window.h"

G_BEGIN_DECLS

/* The toast shown last (libadwaita 1.2 cannot list the toasts of an overlay). */
AdwToast *_kac_window_get_last_toast (KacWindow *self);
/* The sign-in dialog while it is open, else NULL. */
KacSignInDialog *_kac_window_get_sign_in_dialog (KacWindow *self);
/* Takes every toast off the screen, e.g. before a screenshot. */
void      _kac_window_dismiss_toast  (KacWindow *self);

G_END_DECLS
