/* kac-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test-only hooks into KacStore. Nothing in the desk or the server may use them: they exist so
 * that the tests can exercise failures (a full disk) honestly, through the store's own
 * connection and its own error mapping, without filling a real disk.
 */
#pragma once

#include <sqlite3.h>

#include "kac-store.h"

G_BEGIN_DECLS

/* Sets PRAGMA max_page_count on the store's connection, so that the file cannot grow beyond
 * @max_page_count pages and a write that needs a new page fails with SQLITE_FULL, as on a full
 * disk. SQLite never sets the limit below the current size of the file; the limit actually set
 * is returned (0 on error). */
guint64 _kac_store_set_max_page_count (KacStore *self,
                                       guint64   max_page_count);

/* For the files that extend KacStore by concern (kac-store-materials.c), not for tests: the one
 * connection, the error mapping (@writing: a sync write, else a read) and the light
 * (synchronous=NORMAL) transactions used for pulled pages, which can always be pulled again. */
sqlite3 *_kac_store_get_db      (KacStore  *self);
void     _kac_store_set_error   (KacStore  *self,
                                 GError   **error,
                                 int        rc,
                                 gboolean   writing);
gboolean _kac_store_begin_light (KacStore  *self,
                                 GError   **error);
gboolean _kac_store_end_light   (KacStore  *self,
                                 gboolean   ok,
                                 GError   **error);

G_END_DECLS
