/* kac-stats-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kac-catalog.h"
#include "kac-store.h"
#include "kac-sync-engine.h"
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

/* Whose registrations the figures count, in the order of the scope switch. */
typedef enum
{
  KAC_STATS_SCOPE_TERMINAL,  /* this terminal's store: always available, offline too */
  KAC_STATS_SCOPE_CENTRE,    /* every terminal of the centre, from the central system */
} KacStatsScope;

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
/* The central system (server, sign-in and connection state) for the whole centre's figures,
 * and the role of the session ("manager" may see them). Without both, or offline, the whole
 * centre is not available and the page says why. */
void                kac_stats_page_set_sync_engine (KacStatsPage  *self,
                                                    KacSyncEngine *engine);
void                kac_stats_page_set_role      (KacStatsPage  *self,
                                                  const char    *role);
/* Choosing KAC_STATS_SCOPE_CENTRE when it is not available goes back to this terminal and
 * shows the reason. */
void                kac_stats_page_set_scope     (KacStatsPage  *self,
                                                  KacStatsScope  scope);
KacStatsScope       kac_stats_page_get_scope     (KacStatsPage  *self);
/* Why the whole centre is not available now, or NULL when it is. */
const char         *kac_stats_page_get_centre_unavailable_reason (KacStatsPage *self);
/* The line shown under the range picker (a reason, an error, a saved export), or NULL. */
const char         *kac_stats_page_get_notice    (KacStatsPage  *self);
/* TRUE while the whole centre's figures are being fetched. */
gboolean            kac_stats_page_get_loading   (KacStatsPage  *self);
/* Reads the figures again (after a registration was saved). */
void                kac_stats_page_refresh       (KacStatsPage  *self);
/* This terminal's figures changed (the store changed): reads them again shortly, once for a
 * burst of changes; nothing when the whole centre is shown (fetched only when asked for). */
void                kac_stats_page_queue_refresh (KacStatsPage  *self);
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
