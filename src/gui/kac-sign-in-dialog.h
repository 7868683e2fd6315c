/* kac-sign-in-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kac-application.h"

G_BEGIN_DECLS

#define KAC_TYPE_SIGN_IN_DIALOG (kac_sign_in_dialog_get_type ())

G_DECLARE_FINAL_TYPE (KacSignInDialog, kac_sign_in_dialog, KAC, SIGN_IN_DIALOG, AdwWindow)

/* A modal dialog on @parent that signs the clerk in to the central system and hands the
 * session to @application (kac_application_apply_session()). The address and user name start
 * from the settings. */
KacSignInDialog *kac_sign_in_dialog_new        (GtkWindow       *parent,
                                                KacApplication  *application);
/* A sentence shown above the fields saying why the dialog came up (e.g. the sign-in expired). */
void             kac_sign_in_dialog_set_reason (KacSignInDialog *self,
                                                const char      *reason);
/* The central system's address as the desk will use it ("central.example.lv" becomes
 * "https://central.example.lv"), or NULL with @message (for the clerk) saying what is wrong:
 * not a web address, or plain http:// to another computer. */
char            *kac_sign_in_dialog_check_server_uri (const char  *text,
                                                      char       **message);
/* TRUE while the request is on its way. */
gboolean         kac_sign_in_dialog_is_busy    (KacSignInDialog *self);

G_END_DECLS
