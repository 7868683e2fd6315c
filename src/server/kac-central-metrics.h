/* kac-central-metrics.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Counters of kac-central, rendered as Prometheus text (GET /metrics): requests by route and
 * status, errors by route and class, a latency histogram per route, batch item outcomes and
 * the number of records stored. Routes are templates ("/api/v1/records/{uuid}/status"), never
 * raw paths, so no client data reaches the metrics.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KAC_CENTRAL_TYPE_METRICS (kac_central_metrics_get_type ())

G_DECLARE_FINAL_TYPE (KacCentralMetrics, kac_central_metrics, KAC_CENTRAL, METRICS, GObject)

KacCentralMetrics *kac_central_metrics_new          (void);
void               kac_central_metrics_observe      (KacCentralMetrics *self,
                                                     const char        *route,
                                                     guint              status,
                                                     double             seconds);
/* @outcome: "accepted", "replay", "duplicate", "conflict" or "rejected". */
void               kac_central_metrics_count_item   (KacCentralMetrics *self,
                                                     const char        *outcome);
char              *kac_central_metrics_render       (KacCentralMetrics *self,
                                                     gint64             records_stored);

G_END_DECLS
