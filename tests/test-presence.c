/* test-presence.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Today at this centre" from staff notices, with an injected "now" (UTC+2, a week starting
 * Monday 2 March 2026): a substitution spanning days, an absence ending mid-day, hours changing
 * on a date, several notices for one institution, and the MK 401 §20.8 hint by centre kind.
 */
#include "config.h"

#include <stdio.h>

#include "kac-presence.h"

static GPtrArray *notices;
static GTimeZone *zone;

static GDateTime *
at (const char *local)
{
  return g_date_time_new_from_iso8601 (local, zone);
}

static void
add (const char    *institution,
     KacNoticeKind  kind,
     const char    *position,
     const char    *name,
     const char    *starts,
     const char    *ends,
     const char    *hours)  /* "1-5 09:00-16:00" */
{
  KacWireNotice *notice = kac_wire_notice_new ();

  notice->id = g_uuid_string_random ();
  notice->version = 1;
  notice->institution = g_strdup (institution);
  notice->kind = kind;
  notice->position = g_strdup (position);
  notice->name = g_strdup (name);
  notice->starts_at = at (starts);
  notice->ends_at = ends ? at (ends) : NULL;
  notice->created_at = at ("2026-02-01T08:00:00");
  if (hours != NULL)
    {
      guint first, last, h1, m1, h2, m2;

      g_assert_cmpint (sscanf (hours, "%u-%u %u:%u-%u:%u", &first, &last, &h1, &m1, &h2, &m2), ==, 6);
      for (guint day = first; day <= last; day++)
        {
          KacWireHours period = { day, h1 * 60 + m1, h2 * 60 + m2 };

          g_array_append_val (notice->hours, period);
        }
    }
  g_assert_true (kac_wire_notice_validate (notice, NULL));
  g_ptr_array_add (notices, notice);
}

static KacPresence *
presence_at (const char *institution,
             const char *local)
{
  g_autoptr(GDateTime) now = at (local);

  return kac_presence_compute (notices, institution, now);
}

static void
assert_until (KacPresence *presence,
              const char  *hhmm)
{
  g_autofree char *text = NULL;

  if (hhmm == NULL)
    {
      g_assert_null (presence->until);
      return;
    }
  g_assert_nonnull (presence->until);
  text = g_date_time_format (presence->until, "%H:%M");
  g_assert_cmpstr (text, ==, hhmm);
}

static void
set_up_week (void)
{
  g_clear_pointer (&notices, g_ptr_array_unref);
  notices = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_wire_notice_free);

  add ("VSAA", KAC_NOTICE_KIND_SPECIALIST_ASSIGNED, "vecākā referente", "Anna Liepa",
       "2026-02-01T00:00:00", NULL, NULL);
  add ("VSAA", KAC_NOTICE_KIND_HOURS_CHANGED, NULL, NULL, "2026-02-01T00:00:00", NULL, "1-5 09:00-16:00");
  /* An absence ending mid-day on Monday. */
  add ("VSAA", KAC_NOTICE_KIND_ABSENCE, NULL, NULL, "2026-03-02T08:00:00", "2026-03-02T12:00:00", NULL);
  /* A substitution from Tuesday to Thursday evening. */
  add ("VSAA", KAC_NOTICE_KIND_SUBSTITUTION, "referente", "Ilze Ozola",
       "2026-03-03T00:00:00", "2026-03-05T20:00:00", NULL);
  /* An absence in the middle of Friday. */
  add ("VSAA", KAC_NOTICE_KIND_ABSENCE, NULL, NULL, "2026-03-06T13:00:00", "2026-03-06T15:00:00", NULL);
  /* New hours from Monday 9 March. */
  add ("VSAA", KAC_NOTICE_KIND_HOURS_CHANGED, NULL, NULL, "2026-03-09T00:00:00", NULL, "1-2 10:00-13:00");
  /* Another institution, another specialist; a later assignment replaces the first. */
  add ("VID", KAC_NOTICE_KIND_SPECIALIST_ASSIGNED, "konsultante", "Rita Kalna",
       "2026-02-01T00:00:00", NULL, "3-3 09:00-12:00");
  add ("VID", KAC_NOTICE_KIND_SPECIALIST_ASSIGNED, "konsultants", "Jānis Bērziņš",
       "2026-03-04T00:00:00", NULL, NULL);
}

static void
test_absence_ending_mid_day (void)
{
  g_autoptr(KacPresence) morning = NULL;
  g_autoptr(KacPresence) noon = NULL;

  set_up_week ();
  morning = presence_at ("VSAA", "2026-03-02T10:00:00");
  g_assert_false (morning->present);
  g_assert_true (morning->absent);
  g_assert_true (morning->has_specialist);
  g_assert_cmpstr (morning->name, ==, "Anna Liepa");
  g_assert_nonnull (morning->back_at);
  g_assert_cmpint (g_date_time_get_hour (morning->back_at), ==, 12);
  g_assert_cmpuint (morning->changes_today->len, ==, 1);

  noon = presence_at ("VSAA", "2026-03-02T12:30:00");
  g_assert_true (noon->present);
  g_assert_false (noon->substitute);
  assert_until (noon, "16:00");
}

static void
test_substitution_spanning_days (void)
{
  const char *times[] = { "2026-03-03T09:00:00", "2026-03-04T15:59:00", "2026-03-05T10:00:00" };

  set_up_week ();
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(KacPresence) presence = presence_at ("VSAA", times[i]);

      g_assert_true (presence->present);
      g_assert_true (presence->substitute);
      g_assert_cmpstr (presence->name, ==, "Ilze Ozola");
      g_assert_cmpstr (presence->position, ==, "referente");
      assert_until (presence, "16:00");
    }

  /* Before the hours on Wednesday: back at 09:00, with the substitute. */
  {
    g_autoptr(KacPresence) early = presence_at ("VSAA", "2026-03-04T08:00:00");

    g_assert_false (early->present);
    g_assert_false (early->absent);
    g_assert_cmpint (g_date_time_get_hour (early->back_at), ==, 9);
  }
}

static void
test_absence_mid_period (void)
{
  g_autoptr(KacPresence) before = NULL;
  g_autoptr(KacPresence) during = NULL;

  set_up_week ();
  before = presence_at ("VSAA", "2026-03-06T10:00:00");
  g_assert_true (before->present);
  assert_until (before, "13:00");
  during = presence_at ("VSAA", "2026-03-06T14:00:00");
  g_assert_false (during->present);
  g_assert_cmpint (g_date_time_get_hour (during->back_at), ==, 15);
}

static void
test_hours_changing_on_a_date (void)
{
  g_autoptr(KacPresence) old_hours = NULL;
  g_autoptr(KacPresence) new_hours = NULL;
  g_autoptr(KacPresence) after = NULL;
  g_autoptr(KacPresence) wednesday = NULL;

  set_up_week ();
  old_hours = presence_at ("VSAA", "2026-03-06T15:30:00");
  g_assert_true (old_hours->present);
  assert_until (old_hours, "16:00");

  new_hours = presence_at ("VSAA", "2026-03-09T12:00:00");
  g_assert_true (new_hours->present);
  assert_until (new_hours, "13:00");
  g_assert_cmpuint (new_hours->changes_today->len, ==, 1);

  after = presence_at ("VSAA", "2026-03-09T14:00:00");
  g_assert_false (after->present);
  g_assert_null (after->back_at);

  /* No hours on Wednesday any more. */
  wednesday = presence_at ("VSAA", "2026-03-11T10:00:00");
  g_assert_false (wednesday->present);
}

static void
test_several_notices (void)
{
  g_autoptr(KacPresence) first = NULL;
  g_autoptr(KacPresence) second = NULL;
  g_autoptr(KacPresence) none = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GDateTime) now = at ("2026-03-04T10:00:00");
  const char *institutions[] = { "VSAA", "VID", "LAD", NULL };

  set_up_week ();
  /* Wednesday before the new assignment took effect? It starts at midnight: the new one. */
  second = presence_at ("VID", "2026-03-04T10:00:00");
  g_assert_true (second->present);
  g_assert_cmpstr (second->name, ==, "Jānis Bērziņš");
  assert_until (second, "12:00");
  first = presence_at ("VID", "2026-02-25T10:00:00");
  g_assert_cmpstr (first->name, ==, "Rita Kalna");

  none = presence_at ("LAD", "2026-03-04T10:00:00");
  g_assert_false (none->present);
  g_assert_false (none->has_specialist);

  all = kac_presence_compute_all (notices, institutions, now);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_true (((KacPresence *) all->pdata[0])->present);
  g_assert_false (((KacPresence *) all->pdata[2])->present);
}

static void
test_hint (void)
{
  g_autoptr(GDateTime) present = at ("2026-03-02T12:30:00");
  g_autoptr(GDateTime) absent = at ("2026-03-02T10:00:00");
  g_autofree char *regional = NULL;
  g_autofree char *national = NULL;

  set_up_week ();
  g_assert_null (kac_presence_dup_hint (KAC_CENTRE_KIND_COUNTY, "VSAA", notices, present));
  regional = kac_presence_dup_hint (KAC_CENTRE_KIND_REGIONAL, "VSAA", notices, present);
  national = kac_presence_dup_hint (KAC_CENTRE_KIND_NATIONAL, "VSAA", notices, present);
  g_assert_cmpstr (regional, ==, "A VSAA specialist (Anna Liepa, vecākā referente) is at the centre "
                                 "until 16:00: the client can be served there.");
  g_assert_cmpstr (national, ==, regional);
  g_assert_null (kac_presence_dup_hint (KAC_CENTRE_KIND_NATIONAL, "VSAA", notices, absent));
  g_assert_null (kac_presence_dup_hint (KAC_CENTRE_KIND_REGIONAL, "LAD", notices, present));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  zone = g_time_zone_new_offset (2 * 3600);

  g_test_add_func ("/presence/absence-ending-mid-day", test_absence_ending_mid_day);
  g_test_add_func ("/presence/substitution-spanning-days", test_substitution_spanning_days);
  g_test_add_func ("/presence/absence-mid-period", test_absence_mid_period);
  g_test_add_func ("/presence/hours-changing-on-a-date", test_hours_changing_on_a_date);
  g_test_add_func ("/presence/several-notices", test_several_notices);
  g_test_add_func ("/presence/hint", test_hint);

  status = g_test_run ();
  g_clear_pointer (&notices, g_ptr_array_unref);
  g_time_zone_unref (zone);
  return status;
}
