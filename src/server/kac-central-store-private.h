/* kac-central-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files that extend KacCentralStore by concern (kac-central-store-materials.c) need
 * of its connection: the one connection, the statement cache, the error mapping and the change
 * counter. Nothing outside src/server uses this.
 */
#pragma once

#include <sqlite3.h>

#include "kac-central-store.h"

G_BEGIN_DECLS

sqlite3      *_kac_central_store_get_db           (KacCentralStore  *self);
/* A cached, reset statement for @sql, which must be a string literal. */
sqlite3_stmt *_kac_central_store_get_stmt         (KacCentralStore  *self,
                                                   const char       *sql,
                                                   GError          **error);
gboolean      _kac_central_store_exec             (KacCentralStore  *self,
                                                   const char       *sql,
                                                   GError          **error);
gboolean      _kac_central_store_set_sqlite_error (KacCentralStore  *self,
                                                   GError          **error,
                                                   const char       *what);
/* Inside a write transaction: the next value of the one change counter. */
gboolean      _kac_central_store_next_change      (KacCentralStore  *self,
                                                   gint64           *seq,
                                                   GError          **error);

G_END_DECLS
