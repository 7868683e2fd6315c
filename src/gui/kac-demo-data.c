/* kac-demo-data.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo's fictional week. The numbers follow the public figures in DOMAIN.md: a centre
 * registers a handful to a few dozen cases a day, somewhat more consultations and information
 * than applications, most of them in person.
 */
#define G_LOG_DOMAIN "kac-demo-data"

#include "config.h"

#include "kac-demo-data.h"

#include <glib/gi18n.h>

#include "kac-calendar.h"
#include "kac-central-auth.h"
#include "kac-record.h"
#include "kac-service.h"
#include "kac-wire.h"

/* The same week every time: the seed fixes the choices, the calendar moves the days. */
#define DEMO_SEED 20260401

static const KacDemoUser demo_users[] = {
  { "ilze", "Ilze Kalniņa", KAC_CENTRAL_ROLE_CLERK },
  { "janis", "Jānis Ozoliņš", KAC_CENTRAL_ROLE_CLERK },
  { "marta", "Marta Liepiņa", KAC_CENTRAL_ROLE_CLERK },
  { "daina", "Daina Bērziņa", KAC_CENTRAL_ROLE_MANAGER },
  { NULL, NULL, 0 },
};

/* The clerks who register, with how much of the work each does. */
static const struct { const char *username; guint weight; } registering_clerks[] = {
  { "ilze", 40 }, { "janis", 35 }, { "marta", 25 },
};

static const char *female_first[] = {
  "Anna", "Līga", "Inese", "Kristīne", "Laura", "Elīna", "Dace", "Zane", "Sandra", "Baiba",
  "Ieva", "Agnese", "Rūta", "Vija", "Aija",
};
static const char *male_first[] = {
  "Jānis", "Andris", "Mārtiņš", "Kārlis", "Edgars", "Artūrs", "Roberts", "Pēteris", "Aivars",
  "Raivis", "Toms", "Valdis", "Guntis", "Uldis", "Normunds",
};
/* Male and female forms. */
static const char *surnames[][2] = {
  { "Bērziņš", "Bērziņa" }, { "Kalniņš", "Kalniņa" }, { "Ozoliņš", "Ozoliņa" },
  { "Jansons", "Jansone" }, { "Liepiņš", "Liepiņa" }, { "Krūmiņš", "Krūmiņa" },
  { "Balodis", "Balode" }, { "Eglītis", "Eglīte" }, { "Zariņš", "Zariņa" },
  { "Pētersons", "Pētersone" }, { "Vītols", "Vītola" }, { "Kļaviņš", "Kļaviņa" },
  { "Ābols", "Ābola" }, { "Siliņš", "Siliņa" }, { "Lācis", "Lāce" }, { "Auziņš", "Auziņa" },
  { "Vilks", "Vilka" }, { "Grīnbergs", "Grīnberga" },
};

/* Notes are what a clerk would type, in Latvian: data, not interface text. */
static const char *complaint_notes[] = {
  "Klients sūdzas par garo gaidīšanas laiku rindā pie speciālista.",
  "Neapmierināts, ka iesniegums bija jānes vēlreiz ar papildu dokumentu.",
};
static const char *question_notes[] = {
  "Jautā, kurā dienā centrā pieņem VID speciālists.",
  "Vēlas zināt, cik ilgi jāgaida atbilde par pabalstu.",
};
static const char *suggestion_notes[] = {
  "Ierosina ceturtdienās pagarināt pieņemšanas laiku līdz 19.00.",
  "Iesaka pie ieejas izvietot norādes uz centru.",
};

/* Kinds and channels with their shares (per cent). */
static const struct { KacRecordKind kind; guint weight; } kind_weights[] = {
  { KAC_RECORD_KIND_INFORMATION, 34 },
  { KAC_RECORD_KIND_APPLICATION, 30 },
  { KAC_RECORD_KIND_CONSULTATION_ESERVICES, 13 },
  { KAC_RECORD_KIND_CONSULTATION_EADDRESS, 8 },
  { KAC_RECORD_KIND_QUESTION, 7 },
  { KAC_RECORD_KIND_COMPLAINT, 4 },
  { KAC_RECORD_KIND_SUGGESTION, 4 },
};
static const struct { KacChannel channel; guint weight; } channel_weights[] = {
  { KAC_CHANNEL_IN_PERSON, 62 },
  { KAC_CHANNEL_PHONE, 20 },
  { KAC_CHANNEL_ELECTRONIC, 13 },
  { KAC_CHANNEL_POST, 5 },
};

/* Helpers */

static guint
pick_weighted (GRand       *rand,
               const guint *weights,
               gsize        stride,
               guint        n)
{
  guint total = 0;
  guint roll;

  for (guint i = 0; i < n; i++)
    total += *(const guint *) ((const char *) weights + i * stride);
  roll = g_rand_int_range (rand, 0, (gint32) total);
  for (guint i = 0; i < n; i++)
    {
      guint weight = *(const guint *) ((const char *) weights + i * stride);

      if (roll < weight)
        return i;
      roll -= weight;
    }

  return n - 1;
}

/* A new-format personal code (DOMAIN.md): 3, then 2–9, then nine random digits. */
static char *
make_personal_code (GRand *rand)
{
  return g_strdup_printf ("3%d%04d-%05d",
                          g_rand_int_range (rand, 2, 10),
                          g_rand_int_range (rand, 0, 10000),
                          g_rand_int_range (rand, 0, 100000));
}

static char *
make_client_name (GRand *rand)
{
  gboolean female = g_rand_boolean (rand);
  const char *first = female
    ? female_first[g_rand_int_range (rand, 0, G_N_ELEMENTS (female_first))]
    : male_first[g_rand_int_range (rand, 0, G_N_ELEMENTS (male_first))];
  const char *surname = surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))][female ? 1 : 0];

  return g_strdup_printf ("%s %s", first, surname);
}

static const char *
pick_note (GRand        *rand,
           const char  **notes,
           guint         n)
{
  return notes[g_rand_int_range (rand, 0, (gint32) n)];
}

static const char *
pick_clerk (GRand *rand)
{
  guint i = pick_weighted (rand, &registering_clerks[0].weight, sizeof registering_clerks[0],
                           G_N_ELEMENTS (registering_clerks));

  return registering_clerks[i].username;
}

/* A registration as a clerk would make it, valid against @catalog. */
static KacRecord *
make_record (GRand        *rand,
             GListModel   *services,
             const char   *clerk,
             GDateTime    *created_at,
             GError      **error)
{
  KacRecordKind kind;
  KacChannel channel;
  g_autoptr(KacRecord) record = NULL;

  kind = kind_weights[pick_weighted (rand, &kind_weights[0].weight, sizeof kind_weights[0],
                                     G_N_ELEMENTS (kind_weights))].kind;
  channel = channel_weights[pick_weighted (rand, &channel_weights[0].weight, sizeof channel_weights[0],
                                           G_N_ELEMENTS (channel_weights))].channel;
  /* Electronic-services consultations happen face to face or on the phone. */
  if (kind == KAC_RECORD_KIND_CONSULTATION_ESERVICES || kind == KAC_RECORD_KIND_CONSULTATION_EADDRESS)
    channel = g_rand_int_range (rand, 0, 4) == 0 ? KAC_CHANNEL_PHONE : KAC_CHANNEL_IN_PERSON;

  record = g_object_new (KAC_TYPE_RECORD,
                         "kind", kind,
                         "created-at", created_at,
                         NULL);
  kac_record_set_channel (record, channel);
  kac_record_set_clerk (record, clerk);
  kac_record_set_centre_id (record, KAC_DEMO_CENTRE_ID);

  if (kac_record_kind_get_service_requirement (kind) == KAC_REQUIREMENT_REQUIRED
      || (kac_record_kind_get_service_requirement (kind) == KAC_REQUIREMENT_OPTIONAL
          && g_rand_int_range (rand, 0, 3) != 0))
    {
      guint n = g_list_model_get_n_items (services);
      g_autoptr(KacService) service = g_list_model_get_item (services, g_rand_int_range (rand, 0, (gint32) n));

      kac_record_set_service (record, service);
    }

  if (kac_record_kind_get_client_requirement (kind) == KAC_REQUIREMENT_REQUIRED
      || (kac_record_kind_get_client_requirement (kind) == KAC_REQUIREMENT_OPTIONAL
          && g_rand_boolean (rand)))
    {
      g_autofree char *name = make_client_name (rand);
      g_autofree char *code = make_personal_code (rand);

      kac_record_set_client_name (record, name);
      kac_record_set_client_code (record, code);
    }

  switch (kind)
    {
    case KAC_RECORD_KIND_COMPLAINT:
      kac_record_set_notes (record, pick_note (rand, complaint_notes, G_N_ELEMENTS (complaint_notes)));
      break;
    case KAC_RECORD_KIND_QUESTION:
      kac_record_set_notes (record, pick_note (rand, question_notes, G_N_ELEMENTS (question_notes)));
      break;
    case KAC_RECORD_KIND_SUGGESTION:
      kac_record_set_notes (record, pick_note (rand, suggestion_notes, G_N_ELEMENTS (suggestion_notes)));
      break;
    default:
      break;
    }

  /* About half of the clients seen in person answer the satisfaction question; most are
   * content. */
  if (channel == KAC_CHANNEL_IN_PERSON && g_rand_boolean (rand))
    {
      static const int scores[] = { 5, 5, 5, 5, 4, 4, 4, 3, 2 };

      kac_record_set_satisfaction (record, scores[g_rand_int_range (rand, 0, G_N_ELEMENTS (scores))]);
    }

  if (!kac_record_validate (record, NULL, error))
    return NULL;

  return g_steal_pointer (&record);
}

/* An instant on @day in Latvia, @minute minutes after midnight, in UTC. */
static GDateTime *
make_instant (const GDate *day,
              guint        minute)
{
  g_autoptr(GDateTime) local = g_date_time_new (kac_calendar_get_time_zone (),
                                                g_date_get_year (day), g_date_get_month (day),
                                                g_date_get_day (day), minute / 60, minute % 60,
                                                0);

  return g_date_time_to_utc (local);
}

static void
date_string (const GDate *date,
             char         buffer[11])
{
  g_snprintf (buffer, 11, "%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
              g_date_get_day (date));
}

typedef struct
{
  char      *uuid;
  GDateTime *created_at;
  GDate      day;
} SeededApplication;

static void
seeded_application_free (SeededApplication *application)
{
  g_free (application->uuid);
  g_date_time_unref (application->created_at);
  g_free (application);
}

/* Stores @record as kac-central does for a batch item: its canonical body and hash, the
 * institution of its service, received a few minutes after it was made. */
static gboolean
insert_record (KacCentralStore  *store,
               KacCatalog       *catalog,
               KacRecord        *record,
               GHashTable       *users,
               GRand            *rand,
               GError          **error)
{
  g_autofree char *body = kac_wire_encode_record (record);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, body, -1);
  g_autofree char *number = NULL;
  g_autoptr(GDateTime) received = g_date_time_add_seconds (kac_record_get_created_at (record),
                                                           g_rand_int_range (rand, 5, 600));
  KacCentralUser *user = g_hash_table_lookup (users, kac_record_get_clerk (record));
  KacService *service = NULL;

  g_assert (user != NULL);
  if (!kac_record_validate (record, catalog, error))
    return FALSE;
  if (kac_record_get_service_code (record) != NULL)
    service = kac_catalog_lookup (catalog, kac_record_get_service_code (record));

  number = kac_central_store_insert_record (store, record, body, hash,
                                            service != NULL ? kac_service_get_institution_code (service) : NULL,
                                            user, received, error);

  return number != NULL;
}

/* The institutions' side: older applications were forwarded, the oldest of those mostly
 * completed; one forwarded application is past its due date (overdue). */
static gboolean
move_statuses (KacCentralStore  *store,
               KacCalendar      *calendar,
               GPtrArray        *applications,
               const GDate      *today,
               GRand            *rand,
               GError          **error)
{
  gboolean overdue_made = FALSE;

  for (guint i = 0; i < applications->len; i++)
    {
      SeededApplication *application = g_ptr_array_index (applications, i);
      int age = kac_calendar_working_days_between (calendar, &application->day, today);
      g_autoptr(GDateTime) forwarded_at = NULL;
      g_autoptr(GDateTime) completed_at = NULL;
      GDate due;
      char due_text[11];

      if (age < 2 || g_rand_int_range (rand, 0, 10) >= 8)
        continue;

      forwarded_at = g_date_time_add_hours (application->created_at, g_rand_int_range (rand, 2, 20));
      due = application->day;
      if (!overdue_made)
        {
          /* The oldest one: due yesterday's working day, not done. */
          due = *today;
          g_date_subtract_days (&due, 1);
          overdue_made = TRUE;
        }
      else
        kac_calendar_add_working_days (calendar, &due, 10);
      date_string (&due, due_text);

      if (!kac_central_store_set_status (store, application->uuid, KAC_APPLICATION_STATUS_FORWARDED,
                                         due_text, NULL, NULL, "demo", forwarded_at, error))
        return FALSE;

      if (g_date_compare (&due, today) < 0 || age < 4 || g_rand_boolean (rand))
        continue;

      completed_at = g_date_time_add_days (forwarded_at, g_rand_int_range (rand, 1, 3));
      if (!kac_central_store_set_status (store, application->uuid, KAC_APPLICATION_STATUS_COMPLETED,
                                         NULL, NULL, NULL, "demo", completed_at, error))
        return FALSE;
    }

  return TRUE;
}

/* Public API */

const KacDemoUser *
kac_demo_data_get_users (void)
{
  return demo_users;
}

const char *
kac_demo_data_get_centre_name (void)
{
  return "Demo novada VPVKAC";
}

gboolean
kac_demo_data_seed_central (KacCentralStore  *store,
                            KacCatalog       *catalog,
                            GDateTime        *now,
                            GError          **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (DEMO_SEED);
  g_autoptr(GHashTable) users = NULL;
  g_autoptr(GPtrArray) applications = NULL;
  g_autoptr(GListModel) services = NULL;
  KacCalendar *calendar;
  GDate today;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (store), FALSE);
  g_return_val_if_fail (KAC_IS_CATALOG (catalog), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  if (!kac_central_auth_init (error)
      || !kac_central_store_add_centre (store, KAC_DEMO_CENTRE_ID, kac_demo_data_get_centre_name (),
                                        KAC_CENTRE_KIND_REGIONAL, error))
    return FALSE;

  users = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) kac_central_user_free);
  for (const KacDemoUser *u = demo_users; u->username != NULL; u++)
    {
      g_autofree char *hash = kac_central_hash_password (KAC_DEMO_PASSWORD, error);
      KacCentralUser *user;

      if (hash == NULL
          || !kac_central_store_add_user (store, u->username, u->display_name, hash, u->role,
                                          KAC_DEMO_CENTRE_ID, NULL, error)
          || !(user = kac_central_store_lookup_user (store, u->username, error)))
        return FALSE;
      g_hash_table_insert (users, (gpointer) u->username, user);
    }

  services = kac_catalog_search (catalog, "");
  calendar = kac_central_store_get_calendar (store);
  applications = g_ptr_array_new_with_free_func ((GDestroyNotify) seeded_application_free);
  kac_calendar_date_of (now, &today);

  if (!kac_central_store_begin (store, error))
    return FALSE;

  for (int back = 7; back >= 1; back--)
    {
      GDate day = today;
      guint n;

      g_date_subtract_days (&day, back);
      if (!kac_calendar_is_working_day (calendar, &day))
        continue;

      /* Mondays are busier. */
      n = (guint) g_rand_int_range (rand, 14, 27);
      if (g_date_get_weekday (&day) == G_DATE_MONDAY)
        n += 6;

      for (guint i = 0; i < n; i++)
        {
          /* Open 8:30–17:30, busiest before noon. */
          guint minute = 8 * 60 + 30 + (guint) MIN (g_rand_int_range (rand, 0, 540), g_rand_int_range (rand, 0, 540));
          g_autoptr(GDateTime) created_at = make_instant (&day, minute);
          g_autoptr(KacRecord) record = make_record (rand, services, pick_clerk (rand), created_at, error);

          if (record == NULL || !insert_record (store, catalog, record, users, rand, error))
            {
              kac_central_store_rollback (store);
              return FALSE;
            }

          if (kac_record_get_kind (record) == KAC_RECORD_KIND_APPLICATION)
            {
              SeededApplication *application = g_new0 (SeededApplication, 1);

              application->uuid = g_strdup (kac_record_get_uuid (record));
              application->created_at = g_date_time_ref (created_at);
              application->day = day;
              g_ptr_array_add (applications, application);
            }
        }
    }

  if (!kac_central_store_commit (store, error))
    return FALSE;

  return move_statuses (store, calendar, applications, &today, rand, error);
}

int
kac_demo_data_seed_desk (KacStore    *store,
                         KacCatalog  *catalog,
                         GDateTime   *now,
                         GError     **error)
{
  /* Minutes before now of this terminal's earlier registrations today. */
  static const int minutes_ago[] = { 185, 140, 95, 70, 40, 25 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (DEMO_SEED + 1);
  g_autoptr(GListModel) services = NULL;
  GDate today;
  int saved = 0;

  g_return_val_if_fail (KAC_IS_STORE (store), -1);
  g_return_val_if_fail (KAC_IS_CATALOG (catalog), -1);

  services = kac_catalog_search (catalog, "");
  kac_calendar_date_of (now, &today);

  for (guint i = 0; i < G_N_ELEMENTS (minutes_ago); i++)
    {
      g_autoptr(GDateTime) created_at = g_date_time_add_minutes (now, -minutes_ago[i]);
      g_autoptr(KacRecord) record = NULL;
      GDate day;

      /* Only today's: the queue shows the day's work. */
      kac_calendar_date_of (created_at, &day);
      if (g_date_compare (&day, &today) != 0)
        continue;

      record = make_record (rand, services, KAC_DEMO_CLERK, created_at, error);
      if (record == NULL || !kac_record_validate (record, catalog, error)
          || !kac_store_save_record (store, record, error))
        return -1;
      saved++;
    }

  return saved;
}
