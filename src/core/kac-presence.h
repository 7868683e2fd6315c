/* kac-presence.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Today at this centre" (MK 401 §19, §20.8): from the centre's staff notices, whether an
 * institution's specialist is present at a given local date-time, until when, who, who
 * substitutes and what changed today. Pure computation: the caller passes "now" (in the
 * centre's time zone; reception hours are wall-clock times there), so every case is testable.
 *
 * Rules:
 * - The specialist is the one of the latest "specialist assigned" notice that has started.
 * - The weekly reception hours are those of the latest notice with hours that has started
 *   ("reception hours changed", or hours given with the assignment). Without known hours
 *   nobody counts as present: the desk cannot promise what it does not know.
 * - Within the hours, an active substitution puts the substitute at the desk; otherwise an
 *   active absence leaves the desk empty; otherwise the specialist is there.
 * - "until" is the next moment today at which that changes (end of the period, start of an
 *   absence, end of a substitution); "back_at" the next moment today someone serves again.
 */
#pragma once

#include <glib.h>

#include "kac-types.h"
#include "kac-wire.h"

G_BEGIN_DECLS

typedef struct
{
  char      *institution;
  gboolean   has_specialist;  /* a specialist is assigned and has started */
  gboolean   present;         /* someone of the institution serves now */
  gboolean   substitute;      /* …and it is the substitute */
  gboolean   absent;          /* within the hours, but the specialist is absent, no substitute */
  char      *position;        /* who serves now, else the assigned specialist (may be NULL) */
  char      *name;
  GDateTime *until;           /* present: when that ends today; NULL when not today */
  GDateTime *back_at;         /* not present: when someone serves again today, or NULL */
  GPtrArray *changes_today;   /* of KacWireNotice (copies): starting, ending or sent today */
} KacPresence;

void         kac_presence_free        (KacPresence  *presence);

/* @notices: KacWireNotice of the centre (tombstones are ignored). */
KacPresence *kac_presence_compute     (GPtrArray    *notices,
                                       const char   *institution,
                                       GDateTime    *now);
/* One KacPresence per code of @institutions, in that order. */
GPtrArray   *kac_presence_compute_all (GPtrArray          *notices,
                                       const char * const *institutions,
                                       GDateTime          *now);

/* The §20.8 hint for the register form: NULL in a county centre or when the institution's
 * specialist is not present now; else a translated sentence such as "A VSAA specialist (Anna
 * Liepa, senior officer) is at the centre until 16:00: the client can be served there." */
char        *kac_presence_dup_hint    (KacCentreKind  kind,
                                       const char    *institution,
                                       GPtrArray     *notices,
                                       GDateTime     *now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacPresence, kac_presence_free)

G_END_DECLS
