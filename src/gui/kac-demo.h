/* kac-demo.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Demo mode's central system: a real kac-central (the server library) in this process, on
 * 127.0.0.1 over plain HTTP (the server allows that on loopback only, and nothing leaves the
 * computer), with its own store in the demo profile folder, seeded with the fictional data of
 * kac-demo-data.c when it is new. The "outage" property stops the server listening (every
 * request then fails as with a pulled cable) and starts it again on the same port.
 */
#pragma once

#include <gio/gio.h>

#include "kac-catalog.h"
#include "kac-central-store.h"

G_BEGIN_DECLS

#define KAC_TYPE_DEMO (kac_demo_get_type ())

G_DECLARE_FINAL_TYPE (KacDemo, kac_demo, KAC, DEMO, GObject)

/* @dir: the demo profile folder (created when missing); the central store is "central.db"
 * in it. */
KacDemo         *kac_demo_new               (const char  *dir,
                                             KacCatalog  *catalog);
const char      *kac_demo_get_dir           (KacDemo     *self);
/* Opens (seeding when new) the central store and listens. */
gboolean         kac_demo_start             (KacDemo     *self,
                                             GError     **error);
/* Stops listening and closes the central store. */
void             kac_demo_stop              (KacDemo     *self);
/* "http://127.0.0.1:PORT/" once started. */
const char      *kac_demo_get_uri           (KacDemo     *self);
KacCentralStore *kac_demo_get_central_store (KacDemo     *self);
/* A sign-in token for @username, straight from the store (no password round trip). */
char            *kac_demo_issue_token       (KacDemo     *self,
                                             const char  *username,
                                             GError     **error);

/* Property "outage" (boolean): TRUE = the central system does not answer. */
gboolean         kac_demo_get_outage        (KacDemo     *self);
gboolean         kac_demo_set_outage        (KacDemo     *self,
                                             gboolean     outage,
                                             GError     **error);

/* Stops, deletes the central store and starts again with fresh data (the outage is over). */
gboolean         kac_demo_reset             (KacDemo     *self,
                                             GError     **error);

/* Deletes an SQLite database with its -wal and -shm files (not its lock file, see
 * kac-store.c). Missing files are fine. */
gboolean         kac_demo_delete_database   (const char  *path,
                                             GError     **error);

G_END_DECLS
