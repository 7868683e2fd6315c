/* kac-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kac-catalog.h"
#include "kac-demo.h"
#include "kac-store.h"
#include "kac-sync-engine.h"
#include "kac-wire.h"

G_BEGIN_DECLS

#define KAC_TYPE_APPLICATION (kac_application_get_type ())

G_DECLARE_FINAL_TYPE (KacApplication, kac_application, KAC, APPLICATION, AdwApplication)

KacApplication *kac_application_new               (void);
/* NULL when the store could not be opened; kac_application_get_store_error() says why. */
KacStore       *kac_application_get_store         (KacApplication *self);
const GError   *kac_application_get_store_error   (KacApplication *self);
KacCatalog     *kac_application_get_catalog       (KacApplication *self);
/* When the store is damaged (KAC_STORE_ERROR_CORRUPT): keeps its files aside under a new name
 * in the same folder (registrations.db.damaged-YYYYMMDD-HHMMSS, never replacing a file), opens
 * an empty store and replaces the windows with one that works. On failure nothing was moved. */
gboolean        kac_application_set_aside_damaged_store (KacApplication  *self,
                                                         GError         **error);
/* The name the damaged store was kept under during this run, or NULL. */
const char     *kac_application_get_damaged_store_path  (KacApplication *self);

/* Properties:
 *   "sync-engine"        KacSyncEngine or NULL, read-only: exists while the store is open and
 *                        the "server-url" setting names a central system
 *   "restoring-sign-in"  boolean, read-only: the remembered sign-in is being read from the
 *                        keyring (the engine has no token yet, but may get one in a moment)
 *
 * Signal "sign-in-needed" (): the central system refused the token, or the clerk asked to
 * send while signed out. Emitted once per change (the engine's "auth-needed"), never for the
 * clerk's own "Sign Out". A window asks the clerk to sign in. */
KacSyncEngine  *kac_application_get_sync_engine   (KacApplication *self);
gboolean        kac_application_get_restoring_sign_in (KacApplication *self);
/* TRUE when the engine holds a token (it may still turn out to be refused). */
gboolean        kac_application_is_signed_in      (KacApplication *self);

/* After a successful sign-in at @server_uri: remembers the address and the user name in the
 * settings (with the centre the central system says the user works for), gives the token to
 * the sync engine, which sends at once, and keeps the token in the keyring. A keyring that
 * cannot keep it is reported to the window as a toast; this run stays signed in. */
void            kac_application_apply_session     (KacApplication *self,
                                                   const char     *server_uri,
                                                   KacWireSession *session);
/* Forgets the token (engine and keyring); the user name stays remembered. Registrations keep
 * being saved and wait. */
void            kac_application_sign_out          (KacApplication *self);

/* Demo mode (see kac-application.c): set before the application runs (the --demo option does
 * it). The demo's in-process central system is NULL outside demo mode or when it could not
 * start. Actions "app.demo-outage" (boolean state) and "app.demo-reset" exist in demo mode
 * only, "app.start-demo" outside it. */
void            kac_application_set_demo_mode     (KacApplication *self,
                                                   gboolean        demo_mode);
gboolean        kac_application_get_demo_mode     (KacApplication *self);
KacDemo        *kac_application_get_demo          (KacApplication *self);

G_END_DECLS
