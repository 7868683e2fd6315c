/* kac-demo-data.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fictional data of demo mode: one regional centre, its clerks and manager, a week of
 * registrations of every kind and channel with Latvian names and valid new-format personal
 * codes, the methodological materials of six institutions and the centre's staff notices of
 * every kind. Generated from a fixed seed, so every demo starts with the same kind of week (the
 * days move with the calendar).
 */
#pragma once

#include "kac-catalog.h"
#include "kac-central-store.h"
#include "kac-store.h"

G_BEGIN_DECLS

#define KAC_DEMO_CENTRE_ID    "demo-novads"
/* Every demo user has this password (shown in the demo's help). */
#define KAC_DEMO_PASSWORD     "demo"
/* The clerk the demo desk is signed in as. */
#define KAC_DEMO_CLERK        "ilze"

typedef struct
{
  const char     *username;
  const char     *display_name;
  KacCentralRole  role;
} KacDemoUser;

/* The demo's users, ending with a zeroed entry. */
const KacDemoUser *kac_demo_data_get_users     (void);
/* "Demo novada VPVKAC": a fictional name, not translated (it is data). */
const char        *kac_demo_data_get_centre_name (void);

/* Fills a new, empty central store: the centre, the users (passwords hashed as kac-central
 * does), the registrations of the working days of the week before @now (some of the
 * applications forwarded or completed and one overdue), the materials and the notices (both
 * below). */
gboolean           kac_demo_data_seed_central  (KacCentralStore  *store,
                                                KacCatalog       *catalog,
                                                GDateTime        *now,
                                                GError          **error);
/* Publishes the institutions' methodological materials (Latvian, in the Markdown subset of
 * kac-markup.h) over the weeks before @now: seven materials of VSAA, VID, PMLP, NVA, VZD and
 * UR, one with a PDF attachment, the VSAA one in a second version of two days ago. */
gboolean           kac_demo_data_seed_materials (KacCentralStore *store,
                                                 GDateTime       *now,
                                                 GError         **error);
/* Brings the demo centre's staff notices (MK 401 §19) to what they are at @now, so that "Today
 * at this centre" has something to show whenever the demo is started: VSAA's specialist
 * present, NVA's absent without a substitute, VID's substituted (active today), PMLP's on
 * other days with new hours announced, VZD's starting in five working days. The hours of the
 * present ones cover @now (in Latvia) also in the evening and at weekends. Sends the missing
 * notices, and new versions of those whose dates or hours moved (the demo started on another
 * day); returns how many were sent, or -1 with @error set. */
int                kac_demo_data_update_notices (KacCentralStore *store,
                                                 GDateTime       *now,
                                                 GError         **error);
/* Saves this terminal's registrations of earlier today (those after local midnight) into a
 * new, empty desk store; they are queued and the desk sends them when it starts. Returns the
 * number saved, or -1 with @error set. */
int                kac_demo_data_seed_desk     (KacStore         *store,
                                                KacCatalog       *catalog,
                                                GDateTime        *now,
                                                GError          **error);

G_END_DECLS
