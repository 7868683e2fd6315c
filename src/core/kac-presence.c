/* kac-presence.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who serves is a step function of time within a day; its steps can only fall on a boundary of
 * a reception period or on the start or end of a notice. So "until" and "back at" are found by
 * evaluating the function at each such boundary after now, in order.
 */
#define G_LOG_DOMAIN "kac-presence"

#include "config.h"

#include "kac-presence.h"

#include <glib/gi18n-lib.h>

void
kac_presence_free (KacPresence *presence)
{
  if (presence == NULL)
    return;

  g_free (presence->institution);
  g_free (presence->position);
  g_free (presence->name);
  g_clear_pointer (&presence->until, g_date_time_unref);
  g_clear_pointer (&presence->back_at, g_date_time_unref);
  g_clear_pointer (&presence->changes_today, g_ptr_array_unref);
  g_free (presence);
}

static gboolean
is_active (KacWireNotice *notice,
           GDateTime     *at)
{
  return g_date_time_compare (notice->starts_at, at) <= 0
         && (notice->ends_at == NULL || g_date_time_compare (at, notice->ends_at) < 0);
}

/* The latest started notice of @kind (with hours, when @with_hours) at @at. */
static KacWireNotice *
latest_started (GPtrArray     *notices,
                KacNoticeKind  kind,
                gboolean       with_hours,
                GDateTime     *at)
{
  KacWireNotice *best = NULL;

  for (guint i = 0; i < notices->len; i++)
    {
      KacWireNotice *notice = notices->pdata[i];

      if (notice->kind != kind || (with_hours && notice->hours->len == 0)
          || g_date_time_compare (notice->starts_at, at) > 0)
        continue;
      if (best == NULL || g_date_time_compare (notice->starts_at, best->starts_at) > 0
          || (g_date_time_equal (notice->starts_at, best->starts_at)
              && g_date_time_compare (notice->created_at, best->created_at) > 0))
        best = notice;
    }

  return best;
}

static KacWireNotice *
hours_at (GPtrArray *notices,
          GDateTime *at)
{
  KacWireNotice *changed = latest_started (notices, KAC_NOTICE_KIND_HOURS_CHANGED, TRUE, at);
  KacWireNotice *assigned = latest_started (notices, KAC_NOTICE_KIND_SPECIALIST_ASSIGNED, TRUE, at);

  if (changed == NULL)
    return assigned;
  if (assigned == NULL)
    return changed;
  return g_date_time_compare (assigned->starts_at, changed->starts_at) > 0 ? assigned : changed;
}

static GDateTime *
at_minute (GDateTime *day,
           guint      minute)
{
  return g_date_time_new (g_date_time_get_timezone (day), g_date_time_get_year (day),
                          g_date_time_get_month (day), g_date_time_get_day_of_month (day),
                          minute / 60, minute % 60, 0);
}

static gboolean
in_hours (GPtrArray *notices,
          GDateTime *at)
{
  KacWireNotice *hours = hours_at (notices, at);
  guint minute = g_date_time_get_hour (at) * 60 + g_date_time_get_minute (at);
  guint day = g_date_time_get_day_of_week (at);

  if (hours == NULL)
    return FALSE;

  for (guint i = 0; i < hours->hours->len; i++)
    {
      KacWireHours *period = &g_array_index (hours->hours, KacWireHours, i);

      if (period->day == day && period->from_minute <= minute && minute < period->to_minute)
        return TRUE;
    }

  return FALSE;
}

/* The notice whose person serves at @at (a substitution or the assignment), or NULL. */
static KacWireNotice *
serving_at (GPtrArray *notices,
            GDateTime *at,
            gboolean  *absent)
{
  KacWireNotice *substitution = NULL;
  gboolean absence = FALSE;

  *absent = FALSE;
  if (!in_hours (notices, at))
    return NULL;

  for (guint i = 0; i < notices->len; i++)
    {
      KacWireNotice *notice = notices->pdata[i];

      if (!is_active (notice, at))
        continue;
      if (notice->kind == KAC_NOTICE_KIND_SUBSTITUTION
          && (substitution == NULL || g_date_time_compare (notice->starts_at, substitution->starts_at) > 0))
        substitution = notice;
      else if (notice->kind == KAC_NOTICE_KIND_ABSENCE)
        absence = TRUE;
    }

  if (substitution != NULL)
    return substitution;
  if (absence)
    {
      *absent = TRUE;
      return NULL;
    }

  return latest_started (notices, KAC_NOTICE_KIND_SPECIALIST_ASSIGNED, FALSE, at);
}

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (a, g_date_time_get_timezone (b));

  return g_date_time_get_year (local) == g_date_time_get_year (b)
         && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (b);
}

static gint
compare_times (gconstpointer a,
               gconstpointer b)
{
  return g_date_time_compare (*(GDateTime **) a, *(GDateTime **) b);
}

/* Moments later today at which who serves may change, in order. */
static GPtrArray *
boundaries_after (GPtrArray *notices,
                  GDateTime *now)
{
  g_autoptr(GPtrArray) points = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  KacWireNotice *hours = hours_at (notices, now);

  if (hours != NULL)
    for (guint i = 0; i < hours->hours->len; i++)
      {
        KacWireHours *period = &g_array_index (hours->hours, KacWireHours, i);

        if (period->day != (guint) g_date_time_get_day_of_week (now))
          continue;
        g_ptr_array_add (points, at_minute (now, period->from_minute));
        if (period->to_minute < 24 * 60)
          g_ptr_array_add (points, at_minute (now, period->to_minute));
      }

  for (guint i = 0; i < notices->len; i++)
    {
      KacWireNotice *notice = notices->pdata[i];

      if (same_day (notice->starts_at, now))
        g_ptr_array_add (points, g_date_time_to_timezone (notice->starts_at, g_date_time_get_timezone (now)));
      if (notice->ends_at != NULL && same_day (notice->ends_at, now))
        g_ptr_array_add (points, g_date_time_to_timezone (notice->ends_at, g_date_time_get_timezone (now)));
    }

  for (guint i = points->len; i > 0; i--)
    if (g_date_time_compare (points->pdata[i - 1], now) <= 0)
      g_ptr_array_remove_index_fast (points, i - 1);

  g_ptr_array_sort (points, compare_times);
  return g_steal_pointer (&points);
}

KacPresence *
kac_presence_compute (GPtrArray  *notices,
                      const char *institution,
                      GDateTime  *now)
{
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();
  g_autoptr(GPtrArray) points = NULL;
  KacPresence *presence;
  KacWireNotice *assigned, *serving;
  gboolean absent;

  g_return_val_if_fail (notices != NULL, NULL);
  g_return_val_if_fail (institution != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  presence = g_new0 (KacPresence, 1);
  presence->institution = g_strdup (institution);
  presence->changes_today = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_wire_notice_free);

  for (guint i = 0; i < notices->len; i++)
    {
      KacWireNotice *notice = notices->pdata[i];

      if (notice->deleted || notice->starts_at == NULL
          || g_ascii_strcasecmp (notice->institution, institution) != 0)
        continue;
      g_ptr_array_add (mine, notice);
      if (same_day (notice->starts_at, now)
          || (notice->ends_at != NULL && same_day (notice->ends_at, now))
          || (notice->created_at != NULL && same_day (notice->created_at, now)))
        g_ptr_array_add (presence->changes_today, kac_wire_notice_copy (notice));
    }

  assigned = latest_started (mine, KAC_NOTICE_KIND_SPECIALIST_ASSIGNED, FALSE, now);
  presence->has_specialist = assigned != NULL;
  serving = serving_at (mine, now, &absent);
  presence->present = serving != NULL;
  presence->absent = absent;
  presence->substitute = serving != NULL && serving->kind == KAC_NOTICE_KIND_SUBSTITUTION;
  if (serving == NULL)
    serving = assigned;
  if (serving != NULL)
    {
      presence->position = g_strdup (serving->position);
      presence->name = g_strdup (serving->name);
    }

  points = boundaries_after (mine, now);
  for (guint i = 0; i < points->len; i++)
    {
      GDateTime *point = points->pdata[i];
      gboolean later_absent;
      KacWireNotice *later = serving_at (mine, point, &later_absent);

      if (presence->present && presence->until == NULL
          && (later == NULL || g_strcmp0 (later->name, presence->name) != 0))
        presence->until = g_date_time_ref (point);
      if (!presence->present && presence->back_at == NULL && later != NULL)
        presence->back_at = g_date_time_ref (point);
    }

  return presence;
}

GPtrArray *
kac_presence_compute_all (GPtrArray          *notices,
                          const char * const *institutions,
                          GDateTime          *now)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_presence_free);

  g_return_val_if_fail (institutions != NULL, all);

  for (guint i = 0; institutions[i] != NULL; i++)
    g_ptr_array_add (all, kac_presence_compute (notices, institutions[i], now));

  return all;
}

char *
kac_presence_dup_hint (KacCentreKind  kind,
                       const char    *institution,
                       GPtrArray     *notices,
                       GDateTime     *now)
{
  g_autoptr(KacPresence) presence = NULL;
  g_autofree char *until = NULL;

  g_return_val_if_fail (institution != NULL, NULL);

  /* §20.8–20.9 apply to regional and national centres; a county centre serves it all itself. */
  if (kind == KAC_CENTRE_KIND_COUNTY)
    return NULL;

  presence = kac_presence_compute (notices, institution, now);
  if (!presence->present)
    return NULL;

  if (presence->until == NULL)
    return g_strdup_printf (/* Translators: %1$s is an institution ("VSAA"), %2$s a person's
                             * name, %3$s their position. */
                            _("A %1$s specialist (%2$s, %3$s) is at the centre now: the client "
                              "can be served there."),
                            institution, presence->name ? presence->name : "",
                            presence->position ? presence->position : "");

  until = g_date_time_format (presence->until, "%H:%M");
  return g_strdup_printf (/* Translators: %1$s is an institution ("VSAA"), %2$s a person's name,
                           * %3$s their position, %4$s a time ("16:00"). */
                          _("A %1$s specialist (%2$s, %3$s) is at the centre until %4$s: the "
                            "client can be served there."),
                          institution, presence->name ? presence->name : "",
                          presence->position ? presence->position : "", until);
}
