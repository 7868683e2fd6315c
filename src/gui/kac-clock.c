/* kac-clock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kac-clock"

#include "config.h"

#include "kac-clock.h"

static GDateTime *fixed_now;

GDateTime *
kac_clock_dup_now (void)
{
  static GTimeZone *riga;
  GDateTime *now;

  if (g_once_init_enter (&riga))
    {
      GTimeZone *zone = g_time_zone_new_identifier ("Europe/Riga");

      /* Without the time zone database the computer's own zone is the best guess. */
      g_once_init_leave (&riga, zone != NULL ? zone : g_time_zone_new_local ());
    }

  if (fixed_now != NULL)
    return g_date_time_to_timezone (fixed_now, riga);

  now = g_date_time_new_now (riga);
  return now;
}

void
_kac_clock_set_now (GDateTime *now)
{
  g_clear_pointer (&fixed_now, g_date_time_unref);
  if (now != NULL)
    fixed_now = g_date_time_ref (now);
}
