/* kac-clock.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Now" at the centre, for the pages that show who is present (MK 401 §20.8). Reception hours
 * are wall-clock times in Latvia, so the time is in Europe/Riga whatever the computer's zone.
 * Tests fix it to a known instant.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The current time in Europe/Riga (or the one a test set). */
GDateTime *kac_clock_dup_now  (void);
/* Tests: fixes "now" (NULL: the real time again). */
void       _kac_clock_set_now (GDateTime *now);

G_END_DECLS
