/* kac-stats-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kac-catalog.h"
#include "kac-store.h"
#include "kac-wire.h"

G_BEGIN_DECLS

/* The quick choices of the range picker, in its order. */
typedef enum
{
  KAC_STATS_RANGE_TODAY,
  KAC_STATS_RANGE_YESTERDAY,
  KAC_STATS_RANGE_THIS_WEEK,
  KAC_STATS_RANGE_THIS_MONTH,
  KAC_STATS_RANGE_CUSTOM,
} KacStatsRange;

#define KAC_TYPE_STATS_PAGE (kac_stats_page_get_type ())

G_DECLARE_FINAL_TYPE (KacStatsPage, kac_stats_page, KAC, STATS_PAGE, GtkWidget)

void                kac_stats_page_set_store     (KacStatsPage  *self,
                                                  KacStore      *store);
void                kac_stats_page_set_catalog   (KacStatsPage  *self,
                                                  KacCatalog    *catalog);
void                kac_stats_page_set_centre    (KacStatsPage  *self,
                                                  const char    *centre_id,
                                                  const char    *centre_name);
/* The day the quick choices count from (default: today in Latvia); for tests and demos. */
void                kac_stats_page_set_today     (KacStatsPage  *self,
                                                  const GDate   *today);
void                kac_stats_page_set_range     (KacStatsPage  *self,
                                                  KacStatsRange  range);
/* A custom range; selects KAC_STATS_RANGE_CUSTOM. */
void                kac_stats_page_set_custom_range (KacStatsPage *self,
                                                     const GDate  *from,
                                                     const GDate  *to);
/* Reads the figures again (after a registration was saved). */
void                kac_stats_page_refresh       (KacStatsPage  *self);
/* The figures shown, or NULL. */
const KacWireStats *kac_stats_page_get_stats     (KacStatsPage  *self);
/* The table's rows (sorted as shown): one per service. */
GListModel         *kac_stats_page_get_table_model (KacStatsPage *self);
gboolean            kac_stats_page_export_csv    (KacStatsPage  *self,
                                                  GFile         *file,
                                                  char           separator,
                                                  GError       **error);
gboolean            kac_stats_page_export_pdf    (KacStatsPage  *self,
                                                  GFile         *file,
                                                  GError       **error);

G_END_DECLS
