/* kac-demo-badge.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KAC_TYPE_DEMO_BADGE (kac_demo_badge_get_type ())

G_DECLARE_FINAL_TYPE (KacDemoBadge, kac_demo_badge, KAC, DEMO_BADGE, GtkWidget)

/* Opens and closes the badge's popover (the demo's help, outage switch and reset). */
void kac_demo_badge_popup   (KacDemoBadge *self);
void kac_demo_badge_popdown (KacDemoBadge *self);

G_END_DECLS
