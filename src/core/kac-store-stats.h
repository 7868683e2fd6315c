/* kac-store-stats.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The figures of MK 399 §21 and MK 402 §7 for this terminal, from its own store (works
 * offline). They come as the same KacWireStats document that GET /api/v1/stats answers for the
 * whole centre, so the statistics page, the CSV and the PDF report do not care where the
 * figures came from.
 */
#pragma once

#include "kac-store.h"
#include "kac-wire.h"

G_BEGIN_DECLS

/* The figures of the registrations made at this terminal on the days @from … @to (in Latvia,
 * both included; at most KAC_WIRE_STATS_MAX_DAYS days). Withdrawn registrations do not count.
 * An application is delayed when the central system gave it a due date and completed it after
 * that day, or has not completed it and the day is before @as_of (normally today). @centre_id
 * and @centre_name (optional) name the centre in the document. */
KacWireStats *kac_store_get_stats (KacStore     *self,
                                   const char   *centre_id,
                                   const char   *centre_name,
                                   const GDate  *from,
                                   const GDate  *to,
                                   const GDate  *as_of,
                                   GError      **error);

G_END_DECLS
