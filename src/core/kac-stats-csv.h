/* kac-stats-csv.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The figures (KacWireStats, of this terminal or of the whole centre) as a CSV file a manager
 * hands on or opens in a spreadsheet: UTF-8, one header line, RFC 4180 quoting, CRLF line ends.
 */
#pragma once

#include <gio/gio.h>

#include "kac-catalog.h"
#include "kac-wire.h"

G_BEGIN_DECLS

/* The text of the CSV file. @separator is ',' or ';'. With ';' (the spreadsheet convention
 * where the decimal separator is a comma, as in Latvia) decimals are written with a comma,
 * with ',' with a point, so that a spreadsheet reads them as numbers either way. The text
 * starts with a UTF-8 byte order mark, which spreadsheets need to read ā, š as UTF-8.
 * Rows: the totals, each institution, each service, each day; names from @catalog (optional). */
char     *kac_stats_format_csv (KacWireStats  *stats,
                                KacCatalog    *catalog,
                                char           separator);
gboolean  kac_stats_write_csv  (KacWireStats  *stats,
                                KacCatalog    *catalog,
                                char           separator,
                                GFile         *file,
                                GCancellable  *cancellable,
                                GError       **error);

/* The name of a service (or of the institution when @service_code is NULL) for tables and
 * reports: from @catalog when it knows the code, else the code, else words for "none".
 * Newly allocated. */
char     *kac_stats_dup_group_name (KacCatalog  *catalog,
                                    const char  *service_code,
                                    const char  *institution_code);

G_END_DECLS
