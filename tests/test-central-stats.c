/* test-central-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kac-central's figures (GET /api/v1/stats) on a seeded dataset, over real HTTPS in process.
 * Every expected number below was counted by hand from the table of records in seed(); the
 * code under test never computes an expectation. Also: who may read which centre's figures,
 * the calendar's due dates, migration 3 on an older database, and the decoder's distrust.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <unistd.h>

#include "kac-calendar.h"
#include "kac-test-central.h"
#include "kac-wire.h"

#define MANAGER        "maija"
#define OTHER_MANAGER  "karlis"
#define ADMIN          "admin"
#define RANGE          "from=2025-03-01&to=2025-03-07"

typedef struct
{
  KacTestCentral *central;
  SoupSession    *session;
} Fixture;

/* Answers */

/* With KAC_CENTRAL_RESPONSES_DIR set, every checked answer is written there as
 * "<Schema>-<n>.json" for tests/test-central-openapi.sh; the process id in n keeps the names
 * apart from other test programs writing to the same folder. */
static void
dump_response (const char *schema,
               GBytes     *body)
{
  static guint counter;
  const char *dir = g_getenv ("KAC_CENTRAL_RESPONSES_DIR");
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL || body == NULL)
    return;

  name = g_strdup_printf ("%s-%u%04u.json", schema, (guint) getpid (), ++counter);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
}

typedef struct
{
  GBytes   *body;
  GError   *error;
  gboolean  done;
} Reply;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &reply->error);
  reply->done = TRUE;
}

/* Sends one request and iterates the main context (where the server lives) until the answer. */
static guint
request (Fixture     *f,
         const char  *method,
         const char  *path_and_query,
         const char  *token,
         GBytes     **body)
{
  g_autofree char *url = g_strconcat (f->central->uri, path_and_query + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  Reply reply = { 0 };

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &reply);
  while (!reply.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (reply.error);
  if (body != NULL)
    *body = reply.body;
  else
    g_bytes_unref (reply.body);

  return soup_message_get_status (msg);
}

static KacWireStats *
get_stats (Fixture    *f,
           const char *query,
           const char *username)
{
  g_autofree char *token = kac_test_central_issue_token (f->central, username, G_TIME_SPAN_HOUR);
  g_autofree char *path = g_strconcat ("/api/v1/stats?", query, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  KacWireStats *stats;

  g_assert_cmpuint (request (f, "GET", path, token, &body), ==, 200);
  stats = kac_wire_decode_stats (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  dump_response ("Stats", body);
  return stats;
}

static KacWireProblem *
expect_problem (Fixture    *f,
                const char *method,
                const char *query,
                const char *username,
                guint       expected_status,
                const char *expected_code)
{
  g_autofree char *token = username ? kac_test_central_issue_token (f->central, username, G_TIME_SPAN_HOUR)
                                    : NULL;
  g_autofree char *path = g_strconcat ("/api/v1/stats", query ? "?" : "", query, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  KacWireProblem *problem;

  g_assert_cmpuint (request (f, method, path, token, &body), ==, expected_status);
  problem = kac_wire_decode_problem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  dump_response ("Problem", body);
  g_assert_cmpuint (problem->status, ==, expected_status);
  g_assert_cmpstr (problem->code, ==, expected_code);
  g_assert_true (strlen (problem->title) > 0);
  return problem;
}

/* The dataset */

typedef struct
{
  const char    *created_at;      /* UTC; the comment gives the day in Riga (UTC+2 in March) */
  const char    *centre;
  KacRecordKind  kind;
  const char    *service;
  const char    *institution;
  KacChannel     channel;
  int            satisfaction;
  const char    *due_date;        /* set when forwarded; NULL: stays registered */
  const char    *completed_at;    /* UTC; NULL: not completed */
} Seed;

#define APP  KAC_RECORD_KIND_APPLICATION
#define IN   KAC_CHANNEL_IN_PERSON
#define TEL  KAC_CHANNEL_PHONE
#define EL   KAC_CHANNEL_ELECTRONIC
#define POST KAC_CHANNEL_POST

static const Seed seeds[] = {
  /* R1  3 Mar: completed 7 Mar, due 10 Mar — on time */
  { "2025-03-03T08:00:00Z", KAC_TEST_CENTRE, APP, "VSAA-01", "VSAA", IN, 5, "2025-03-10", "2025-03-07T10:00:00Z" },
  /* R2  3 Mar: due 5 Mar, completed 5 Mar 22:30 UTC = 6 Mar 00:30 in Riga — delayed */
  { "2025-03-03T09:00:00Z", KAC_TEST_CENTRE, APP, "VSAA-01", "VSAA", EL, 4, "2025-03-05", "2025-03-05T22:30:00Z" },
  /* R3  3 Mar 22:30 UTC = 4 Mar 00:30 in Riga; due 10 Mar 2025, never completed — delayed */
  { "2025-03-03T22:30:00Z", KAC_TEST_CENTRE, APP, "PMLP-01", "PMLP", TEL, 0, "2025-03-10", NULL },
  /* R4  4 Mar: due in 2099, not completed — not delayed */
  { "2025-03-04T10:00:00Z", KAC_TEST_CENTRE, APP, "PMLP-01", "PMLP", POST, 0, "2099-12-31", NULL },
  /* R5  4 Mar: no due date (not forwarded) — not delayed */
  { "2025-03-04T11:00:00Z", KAC_TEST_CENTRE, APP, "VSAA-01", "VSAA", IN, 0, NULL, NULL },
  /* R6  5 Mar */
  { "2025-03-05T12:00:00Z", KAC_TEST_CENTRE, KAC_RECORD_KIND_INFORMATION, "VSAA-02", "VSAA", TEL, 3, NULL, NULL },
  /* R7  5 Mar */
  { "2025-03-05T12:30:00Z", KAC_TEST_CENTRE, KAC_RECORD_KIND_CONSULTATION_ESERVICES, NULL, NULL, IN, 5, NULL, NULL },
  /* R8  5 Mar */
  { "2025-03-05T13:00:00Z", KAC_TEST_CENTRE, KAC_RECORD_KIND_CONSULTATION_EADDRESS, NULL, NULL, EL, 0, NULL, NULL },
  /* R9  6 Mar */
  { "2025-03-06T09:00:00Z", KAC_TEST_CENTRE, KAC_RECORD_KIND_COMPLAINT, "VSAA-01", "VSAA", EL, 1, NULL, NULL },
  /* R10 6 Mar */
  { "2025-03-06T10:00:00Z", KAC_TEST_CENTRE, KAC_RECORD_KIND_QUESTION, "PMLP-01", "PMLP", POST, 0, NULL, NULL },
  /* R11 7 Mar 21:59 UTC = 23:59 in Riga, still 7 Mar */
  { "2025-03-07T21:59:00Z", KAC_TEST_CENTRE, KAC_RECORD_KIND_SUGGESTION, NULL, NULL, IN, 2, NULL, NULL },
  /* R12 28 Feb 23:59:59 in Riga — before the range */
  { "2025-02-28T21:59:59Z", KAC_TEST_CENTRE, APP, "VSAA-01", "VSAA", IN, 5, NULL, NULL },
  /* R13 8 Mar 00:00 in Riga — after the range */
  { "2025-03-07T22:00:00Z", KAC_TEST_CENTRE, APP, "VSAA-01", "VSAA", IN, 5, NULL, NULL },
  /* R14 another centre */
  { "2025-03-04T10:00:00Z", KAC_TEST_OTHER_CENTRE, APP, "VSAA-01", "VSAA", EL, 4, "2025-03-05", NULL },
  /* R15 2 Mar (a Sunday): due 6 Mar, completed 6 Mar 21:30 UTC = 23:30 in Riga — on time */
  { "2025-03-02T10:00:00Z", KAC_TEST_CENTRE, APP, "VSAA-01", "VSAA", EL, 4, "2025-03-06", "2025-03-06T21:30:00Z" },
};

static KacRecord *
make_record (const Seed *seed)
{
  g_autoptr(GDateTime) created_at = g_date_time_new_from_iso8601 (seed->created_at, NULL);
  KacRecord *record;

  g_assert_nonnull (created_at);
  record = g_object_new (KAC_TYPE_RECORD,
                         "created-at", created_at,
                         "kind", seed->kind,
                         "service-code", seed->service,
                         "institution-code", seed->institution,
                         "channel", seed->channel,
                         "satisfaction", seed->satisfaction,
                         "centre-id", seed->centre,
                         "clerk", KAC_TEST_CLERK,
                         NULL);
  return record;
}

/* Stores @record as the server does (its canonical body and hash), received at @received. */
static char *
store_record (KacCentralStore *store,
              KacRecord       *record,
              const char      *received)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCentralUser) clerk = kac_central_store_lookup_user (store, KAC_TEST_CLERK, &error);
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (received, NULL);
  g_autofree char *body = kac_wire_encode_record (record);
  g_autofree char *hash = kac_wire_record_hash (record);
  char *number;

  g_assert_no_error (error);
  g_assert_true (kac_central_store_begin (store, &error));
  number = kac_central_store_insert_record (store, record, body, hash,
                                            kac_record_get_institution_code (record), clerk, now,
                                            &error);
  g_assert_no_error (error);
  g_assert_true (kac_central_store_commit (store, &error));
  g_assert_no_error (error);
  return number;
}

static void
set_status (KacCentralStore      *store,
            const char           *number,
            KacApplicationStatus  status,
            const char           *due_date,
            const char           *at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (at, NULL);

  g_assert_true (kac_central_store_set_status (store, number, status, due_date, NULL, NULL,
                                               "test", now, &error));
  g_assert_no_error (error);
}

static void
seed (KacCentralStore *store)
{
  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      g_autoptr(KacRecord) record = make_record (&seeds[i]);
      g_autofree char *number = store_record (store, record, seeds[i].created_at);

      if (seeds[i].due_date != NULL)
        set_status (store, number, KAC_APPLICATION_STATUS_FORWARDED, seeds[i].due_date,
                    seeds[i].created_at);
      if (seeds[i].completed_at != NULL)
        set_status (store, number, KAC_APPLICATION_STATUS_COMPLETED, NULL, seeds[i].completed_at);
    }
}

/* Fixture */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;

  f->central = kac_test_central_new ();
  /* Tokens are issued straight into the store, so the password hash is never checked. */
  g_assert_true (kac_central_store_add_user (f->central->store, MANAGER, NULL, "unused",
                                             KAC_CENTRAL_ROLE_MANAGER, KAC_TEST_CENTRE, NULL, &error));
  g_assert_true (kac_central_store_add_user (f->central->store, OTHER_MANAGER, NULL, "unused",
                                             KAC_CENTRAL_ROLE_MANAGER, KAC_TEST_OTHER_CENTRE, NULL, &error));
  g_assert_true (kac_central_store_add_user (f->central->store, ADMIN, NULL, "unused",
                                             KAC_CENTRAL_ROLE_ADMIN, NULL, NULL, &error));
  g_assert_no_error (error);

  database = g_tls_file_database_new (f->central->ca_file, &error);
  g_assert_no_error (error);
  f->session = soup_session_new_with_options ("tls-database", database, "timeout", 10, NULL);

  seed (f->central->store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_pointer (&f->central, kac_test_central_free);
}

/* Checks */

typedef struct
{
  gint64 cases;
  gint64 by_kind[KAC_RECORD_KIND_N_VALUES];   /* application, information, eservices, eaddress,
                                               * complaint, question, suggestion */
  gint64 by_channel[KAC_CHANNEL_N_VALUES];    /* in person, phone, electronic, post */
  gint64 delayed;
  gint64 satisfaction[5];
} Expected;

static void
assert_figures (const KacWireFigures *figures,
                const Expected       *expected)
{
  g_assert_cmpint (figures->cases, ==, expected->cases);
  for (guint i = 0; i < KAC_RECORD_KIND_N_VALUES; i++)
    g_assert_cmpint (figures->by_kind[i], ==, expected->by_kind[i]);
  for (guint i = 0; i < KAC_CHANNEL_N_VALUES; i++)
    g_assert_cmpint (figures->by_channel[i], ==, expected->by_channel[i]);
  g_assert_cmpint (figures->delayed, ==, expected->delayed);
  g_assert_cmpint (figures->complaints, ==, expected->by_kind[KAC_RECORD_KIND_COMPLAINT]);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (figures->satisfaction[i], ==, expected->satisfaction[i]);
}

static const KacWireStatsGroup *
find_group (GPtrArray  *groups,
            const char *service,
            const char *institution)
{
  for (guint i = 0; i < groups->len; i++)
    {
      const KacWireStatsGroup *group = g_ptr_array_index (groups, i);

      if (g_strcmp0 (group->service_code, service) == 0
          && g_strcmp0 (group->institution_code, institution) == 0)
        return group;
    }

  g_assert_not_reached ();
}

/* Tests */

static void
test_figures (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KacWireStats) stats = get_stats (f, "centre=" KAC_TEST_CENTRE "&" RANGE, MANAGER);
  /* In the range: R1–R11 and R15 (R12 and R13 fall just outside in Riga time, R14 is Cēsis). */
  static const Expected totals = {
    .cases = 12,
    .by_kind = { 6, 1, 1, 1, 1, 1, 1 },            /* applications R1–R5, R15 */
    .by_channel = { 4, 2, 4, 2 },                  /* in person R1 R5 R7 R11; phone R3 R6;
                                                    * electronic R2 R8 R9 R15; post R4 R10 */
    .delayed = 2,                                  /* R2 (completed late), R3 (overdue) */
    .satisfaction = { 1, 1, 1, 2, 2 },             /* 1: R9; 2: R11; 3: R6; 4: R2 R15; 5: R1 R7 */
  };
  static const Expected none = {                   /* R7 R8 R11: no service */
    .cases = 3, .by_kind = { 0, 0, 1, 1, 0, 0, 1 }, .by_channel = { 2, 0, 1, 0 },
    .delayed = 0, .satisfaction = { 0, 1, 0, 0, 1 },
  };
  static const Expected pmlp = {                   /* R3 R4 R10 */
    .cases = 3, .by_kind = { 2, 0, 0, 0, 0, 1, 0 }, .by_channel = { 0, 1, 0, 2 },
    .delayed = 1, .satisfaction = { 0, 0, 0, 0, 0 },
  };
  static const Expected vsaa = {                   /* R1 R2 R5 R6 R9 R15 */
    .cases = 6, .by_kind = { 4, 1, 0, 0, 1, 0, 0 }, .by_channel = { 2, 1, 3, 0 },
    .delayed = 1, .satisfaction = { 1, 0, 1, 2, 1 },
  };
  static const Expected vsaa_01 = {                /* R1 R2 R5 R9 R15 */
    .cases = 5, .by_kind = { 4, 0, 0, 0, 1, 0, 0 }, .by_channel = { 2, 0, 3, 0 },
    .delayed = 1, .satisfaction = { 1, 0, 0, 2, 1 },
  };
  static const Expected vsaa_02 = {                /* R6 */
    .cases = 1, .by_kind = { 0, 1, 0, 0, 0, 0, 0 }, .by_channel = { 0, 1, 0, 0 },
    .delayed = 0, .satisfaction = { 0, 0, 1, 0, 0 },
  };
  /* Days in Riga: 1 Mar none; 2 Mar R15; 3 Mar R1 R2; 4 Mar R3 R4 R5; 5 Mar R6 R7 R8;
   * 6 Mar R9 R10; 7 Mar R11. */
  static const gint64 cases_per_day[] = { 0, 1, 2, 3, 3, 2, 1 };
  static const gint64 delayed_per_day[] = { 0, 0, 1, 1, 0, 0, 0 };
  static const Expected day_4 = {                  /* R3 R4 R5 */
    .cases = 3, .by_kind = { 3, 0, 0, 0, 0, 0, 0 }, .by_channel = { 1, 1, 0, 1 },
    .delayed = 1, .satisfaction = { 0, 0, 0, 0, 0 },
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDate today;

  g_assert_cmpstr (stats->centre_id, ==, KAC_TEST_CENTRE);
  g_assert_cmpstr (stats->centre_name, ==, "Rīgas VPVKAC");
  g_assert_cmpuint (g_date_get_day (&stats->from), ==, 1);
  g_assert_cmpuint (g_date_get_day (&stats->to), ==, 7);
  kac_calendar_date_of (now, &today);
  g_assert_cmpint (g_date_compare (&stats->as_of, &today), ==, 0);

  assert_figures (&stats->totals, &totals);
  /* 24 points over 7 answers = 3.43; 4 of 12 cases electronic. */
  g_assert_cmpint (kac_wire_figures_get_answers (&stats->totals), ==, 7);
  g_assert_cmpfloat_with_epsilon (kac_wire_figures_get_average (&stats->totals), 24.0 / 7.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (kac_wire_figures_get_electronic_share (&stats->totals), 4.0 / 12.0, 1e-9);

  g_assert_cmpuint (stats->institutions->len, ==, 3);
  assert_figures (&find_group (stats->institutions, NULL, NULL)->figures, &none);
  assert_figures (&find_group (stats->institutions, NULL, "PMLP")->figures, &pmlp);
  assert_figures (&find_group (stats->institutions, NULL, "VSAA")->figures, &vsaa);

  g_assert_cmpuint (stats->services->len, ==, 4);
  assert_figures (&find_group (stats->services, NULL, NULL)->figures, &none);
  assert_figures (&find_group (stats->services, "PMLP-01", "PMLP")->figures, &pmlp);
  assert_figures (&find_group (stats->services, "VSAA-01", "VSAA")->figures, &vsaa_01);
  assert_figures (&find_group (stats->services, "VSAA-02", "VSAA")->figures, &vsaa_02);

  g_assert_cmpuint (stats->days->len, ==, 7);
  for (guint i = 0; i < 7; i++)
    {
      KacWireStatsDay *day = &g_array_index (stats->days, KacWireStatsDay, i);

      g_assert_cmpuint (g_date_get_day (&day->date), ==, i + 1);
      g_assert_cmpint (day->figures.cases, ==, cases_per_day[i]);
      g_assert_cmpint (day->figures.delayed, ==, delayed_per_day[i]);
    }
  assert_figures (&g_array_index (stats->days, KacWireStatsDay, 3).figures, &day_4);
}

static void
test_ranges (Fixture       *f,
             gconstpointer  data)
{
  /* One day, 28 February: only R12, at 23:59:59 in Riga. */
  g_autoptr(KacWireStats) feb = get_stats (f, "centre=" KAC_TEST_CENTRE "&from=2025-02-28&to=2025-02-28", ADMIN);
  /* 8 March: only R13, at midnight in Riga. */
  g_autoptr(KacWireStats) mar8 = get_stats (f, "from=2025-03-08&to=2025-03-08", MANAGER);
  /* A year with nothing in it: zeros, no groups, 365 days. */
  g_autoptr(KacWireStats) empty = get_stats (f, "centre=" KAC_TEST_CENTRE "&from=2023-01-01&to=2023-12-31", MANAGER);
  /* Cēsis, through its own manager: R14, delayed (due 5 March 2025, never completed). */
  g_autoptr(KacWireStats) cesis = get_stats (f, "centre=" KAC_TEST_OTHER_CENTRE "&" RANGE, OTHER_MANAGER);

  g_assert_cmpint (feb->totals.cases, ==, 1);
  g_assert_cmpint (feb->totals.satisfaction[4], ==, 1);
  g_assert_cmpint (mar8->totals.cases, ==, 1);
  g_assert_cmpstr (mar8->centre_id, ==, KAC_TEST_CENTRE);

  g_assert_cmpint (empty->totals.cases, ==, 0);
  g_assert_cmpuint (empty->institutions->len, ==, 0);
  g_assert_cmpuint (empty->services->len, ==, 0);
  g_assert_cmpuint (empty->days->len, ==, 365);

  g_assert_cmpint (cesis->totals.cases, ==, 1);
  g_assert_cmpint (cesis->totals.delayed, ==, 1);
  g_assert_cmpint (cesis->totals.by_channel[KAC_CHANNEL_ELECTRONIC], ==, 1);
  g_assert_cmpint (g_array_index (cesis->days, KacWireStatsDay, 3).figures.cases, ==, 1);
}

static void
test_access (Fixture       *f,
             gconstpointer  data)
{
  KacWireProblem *problem;

  /* No token, a clerk, an institution user: no figures of the centre. */
  kac_wire_problem_free (expect_problem (f, "GET", "centre=" KAC_TEST_CENTRE "&" RANGE, NULL, 401, "unauthenticated"));
  kac_wire_problem_free (expect_problem (f, "GET", "centre=" KAC_TEST_CENTRE "&" RANGE, KAC_TEST_CLERK, 403, "forbidden-role"));
  kac_wire_problem_free (expect_problem (f, "GET", RANGE, KAC_TEST_CLERK, 403, "forbidden-role"));
  kac_wire_problem_free (expect_problem (f, "GET", "centre=" KAC_TEST_CENTRE "&" RANGE, KAC_TEST_INSTITUTION, 403, "forbidden-role"));

  /* A manager of another centre. */
  kac_wire_problem_free (expect_problem (f, "GET", "centre=" KAC_TEST_CENTRE "&" RANGE, OTHER_MANAGER, 403, "other-centre"));

  /* An admin must name the centre, and it must exist. */
  problem = expect_problem (f, "GET", RANGE, ADMIN, 400, "invalid-range");
  g_assert_cmpuint (problem->errors->len, ==, 1);
  g_assert_cmpstr (((KacWireFieldError *) g_ptr_array_index (problem->errors, 0))->field, ==, "centre");
  kac_wire_problem_free (problem);
  kac_wire_problem_free (expect_problem (f, "GET", "centre=nowhere&" RANGE, ADMIN, 404, "centre-not-found"));

  /* The admin reads both centres; the managers their own (test_figures, test_ranges). */
  {
    g_autoptr(KacWireStats) riga = get_stats (f, "centre=" KAC_TEST_CENTRE "&" RANGE, ADMIN);
    g_autoptr(KacWireStats) cesis = get_stats (f, "centre=" KAC_TEST_OTHER_CENTRE "&" RANGE, ADMIN);

    g_assert_cmpint (riga->totals.cases, ==, 12);
    g_assert_cmpint (cesis->totals.cases, ==, 1);
  }

  /* Only GET. */
  kac_wire_problem_free (expect_problem (f, "POST", RANGE, MANAGER, 405, "method-not-allowed"));
}

static void
test_bad_ranges (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const bad[] = {
    "",                                       /* no dates */
    "from=2025-03-01",                        /* no last day */
    "from=2025-02-30&to=2025-03-07",          /* no such day */
    "from=2025-3-1&to=2025-03-07",
    "from=2025-03-08&to=2025-03-07",          /* backwards */
    "from=2023-01-01&to=2026-01-02",          /* 1098 days: too long */
  };
  KacWireProblem *problem;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("query: %s", bad[i]);
      problem = expect_problem (f, "GET", bad[i], MANAGER, 400, "invalid-range");
      g_assert_cmpuint (problem->errors->len, >, 0);
      kac_wire_problem_free (problem);
    }

  /* The longest range allowed: 2023-01-01 … 2026-01-01 is 1097 days. */
  {
    g_autoptr(KacWireStats) longest = get_stats (f, "from=2023-01-01&to=2026-01-01", MANAGER);

    g_assert_cmpuint (longest->days->len, ==, KAC_WIRE_STATS_MAX_DAYS);
    g_assert_cmpint (longest->totals.cases, ==, 14);   /* R1–R13 and R15: all of Rīga's */
  }
}

/* Due dates of complaints, questions and suggestions count Latvian working days. */
static void
test_due_dates (Fixture       *f,
                gconstpointer  data)
{
  static const struct { KacRecordKind kind; const char *received; const char *due; } cases[] = {
    /* Friday 19 December 2025: 22 (1), 23 (2), 24–28 off, 29 (3), 30 (4), 31 Dec–1 Jan
     * holidays, 2 Jan moved off, 3–4 weekend, 5 (5), 6 (6), 7 January 2026 (7). */
    { KAC_RECORD_KIND_COMPLAINT, "2025-12-19T10:00:00Z", "2026-01-07" },
    /* Thursday 17 April 2025 at 23:30 in Riga (20:30 UTC): 18 Good Friday, 19–20 weekend,
     * 21 Easter Monday; 22–25 are 1–4, 28–30 are 5–7: Wednesday 30 April. */
    { KAC_RECORD_KIND_QUESTION, "2025-04-17T20:30:00Z", "2025-04-30" },
    /* Thursday 6 March 2025 22:30 UTC is Friday 7 March 00:30 in Riga: 10–14 are 1–5, 17 and
     * 18 are 6 and 7: Tuesday 18 March (counted from the UTC day it would be the 17th). */
    { KAC_RECORD_KIND_SUGGESTION, "2025-03-06T22:30:00Z", "2025-03-18" },
    /* An application gets its due date from the institution, none at registration. */
    { KAC_RECORD_KIND_APPLICATION, "2025-12-19T10:00:00Z", NULL },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KacWireChangesPage) page = NULL;
  gint64 since = kac_central_store_get_last_change (f->central->store, &error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Seed seed = { cases[i].received, KAC_TEST_CENTRE, cases[i].kind, "VSAA-01", "VSAA", IN, 0, NULL, NULL };
      g_autoptr(KacRecord) record = make_record (&seed);
      g_autofree char *number = store_record (f->central->store, record, cases[i].received);
    }

  page = kac_central_store_list_changes (f->central->store, KAC_TEST_CENTRE, since, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->changes->len, ==, G_N_ELEMENTS (cases));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (((KacWireChange *) g_ptr_array_index (page->changes, i))->due_date, ==, cases[i].due);

  /* An operator's calendar replaces the built-in one: with only the fixed rules, Friday
   * 2 January 2026 is a working day, so 19 December + 7 is Tuesday 6 January. */
  {
    g_autoptr(GBytes) bare = g_bytes_new_static ("{}", 2);
    g_autoptr(KacCalendar) calendar = kac_calendar_new_from_bytes (bare, &error);
    g_autoptr(GDateTime) friday = g_date_time_new_from_iso8601 ("2025-12-19T10:00:00Z", NULL);
    g_autofree char *due = NULL;

    g_assert_no_error (error);
    kac_central_store_set_calendar (f->central->store, calendar);
    due = kac_central_add_working_days (kac_central_store_get_calendar (f->central->store), friday, 7);
    g_assert_cmpstr (due, ==, "2026-01-06");
  }
}

/* Migration 3 on a database made before it: the day and the satisfaction of the records
 * already there are filled in from what they hold. */
static void
test_migration (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kac-stats-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "central.db", NULL);
  g_autoptr(KacWireStats) stats = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDate from, to, as_of;
  sqlite3 *db = NULL;

  g_assert_no_error (error);

  {
    g_autoptr(KacCentralStore) store = kac_central_store_open (path, &error);

    g_assert_no_error (error);
    kac_central_store_add_centre (store, KAC_TEST_CENTRE, "Rīga", KAC_CENTRE_KIND_NATIONAL, &error);
    kac_central_store_add_user (store, KAC_TEST_CLERK, NULL, "unused", KAC_CENTRAL_ROLE_CLERK,
                                KAC_TEST_CENTRE, NULL, &error);
    g_assert_no_error (error);
    /* R3 (4 March in Riga, no answer) and R9 (6 March, satisfaction 1). */
    for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
      if (i == 2 || i == 8)
        {
          g_autoptr(KacRecord) record = make_record (&seeds[i]);
          g_autofree char *number = store_record (store, record, seeds[i].created_at);
        }
  }

  /* Back to schema 2, as an older kac-central left it. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TRIGGER audit_log_no_update;"
                                 "DROP TRIGGER audit_log_no_delete;"
                                 "DROP TRIGGER status_audit_to_audit_log;"
                                 "DROP TABLE audit_log;"
                                 "DROP INDEX records_stats;"
                                 "ALTER TABLE records DROP COLUMN local_date;"
                                 "ALTER TABLE records DROP COLUMN satisfaction;"
                                 "PRAGMA user_version = 2;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  {
    g_autoptr(KacCentralStore) store = kac_central_store_open (path, &error);

    g_assert_no_error (error);
    g_date_clear (&from, 1);
    g_date_set_dmy (&from, 1, 3, 2025);
    to = from;
    g_date_add_days (&to, 6);
    kac_calendar_date_of (now, &as_of);
    stats = kac_central_store_get_stats (store, KAC_TEST_CENTRE, &from, &to, &as_of, &error);
    g_assert_no_error (error);
  }

  g_assert_cmpint (stats->totals.cases, ==, 2);
  g_assert_cmpint (g_array_index (stats->days, KacWireStatsDay, 3).figures.cases, ==, 1);   /* 4 Mar */
  g_assert_cmpint (g_array_index (stats->days, KacWireStatsDay, 5).figures.cases, ==, 1);   /* 6 Mar */
  g_assert_cmpint (stats->totals.satisfaction[0], ==, 1);
  g_assert_cmpint (kac_wire_figures_get_answers (&stats->totals), ==, 1);

  kac_test_remove_tree (dir);
}

/* The decoder distrusts figures that do not add up. */

static char *
replace_once (const char *text,
              const char *old,
              const char *new)
{
  const char *at = strstr (text, old);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, new, at + strlen (old));
}

static void
test_wire (void)
{
  g_autoptr(KacWireStats) stats = NULL;
  g_autoptr(KacWireStats) decoded = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  KacWireStatsGroup *group;
  GDate from, to;
  struct { const char *old, *new; gint code; } tampered[] = {
    { "\"cases\":3", "\"cases\":4", KAC_WIRE_ERROR_VALUE },               /* totals ≠ by kind */
    { "\"in-person\":2", "\"in-person\":1", KAC_WIRE_ERROR_VALUE },       /* by channel */
    { "\"complaints\":1", "\"complaints\":0", KAC_WIRE_ERROR_VALUE },
    { "\"delayed\":1", "\"delayed\":9", KAC_WIRE_ERROR_VALUE },            /* > applications */
    { "\"answers\":2", "\"answers\":3", KAC_WIRE_ERROR_VALUE },
    { "\"average\":3.5", "\"average\":4.5", KAC_WIRE_ERROR_VALUE },
    { "\"distribution\":[0,1,0,0,1]", "\"distribution\":[0,1,0,1]", KAC_WIRE_ERROR_VALUE },
    { "\"electronic_share\":0.33", "\"electronic_share\":0.53", KAC_WIRE_ERROR_VALUE },
    { "\"application\":1", "\"application\":-1", KAC_WIRE_ERROR_VALUE },
    { "\"application\":1", "\"application\":\"1\"", KAC_WIRE_ERROR_TYPE },
    { "\"date\":\"2025-03-02\"", "\"date\":\"2025-03-03\"", KAC_WIRE_ERROR_VALUE },
    { "\"to\":\"2025-03-02\"", "\"to\":\"2025-03-03\"", KAC_WIRE_ERROR_VALUE },  /* 2 days listed */
    { "\"from\":\"2025-03-01\"", "\"from\":\"2025-02-30\"", KAC_WIRE_ERROR_VALUE },
    { "\"centre\":{", "\"centre\":{\"x\":[],\"y\":{", KAC_WIRE_ERROR_SYNTAX },
    { "\"days\":[", "\"days\":{\"a\":[", KAC_WIRE_ERROR_SYNTAX },
  };

  g_date_clear (&from, 1);
  g_date_set_dmy (&from, 1, 3, 2025);
  to = from;
  g_date_add_days (&to, 1);
  stats = kac_wire_stats_new ("riga-1", "Rīga", &from, &to, &to);
  /* 3 cases: an application (in person, 2 points, delayed), a complaint (in person, 5
   * points), an eaddress consultation (electronic). */
  stats->totals.cases = 3;
  stats->totals.by_kind[KAC_RECORD_KIND_APPLICATION] = 1;
  stats->totals.by_kind[KAC_RECORD_KIND_COMPLAINT] = 1;
  stats->totals.by_kind[KAC_RECORD_KIND_CONSULTATION_EADDRESS] = 1;
  stats->totals.by_channel[KAC_CHANNEL_IN_PERSON] = 2;
  stats->totals.by_channel[KAC_CHANNEL_ELECTRONIC] = 1;
  stats->totals.delayed = 1;
  stats->totals.complaints = 1;
  stats->totals.satisfaction[1] = 1;
  stats->totals.satisfaction[4] = 1;
  group = kac_wire_stats_add_group (stats->services, "VSAA-01", "VSAA");
  group->figures = stats->totals;
  g_array_index (stats->days, KacWireStatsDay, 1).figures = stats->totals;

  bytes = kac_wire_encode_stats (stats);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  decoded = kac_wire_decode_stats (text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpint (decoded->totals.cases, ==, 3);
  g_assert_cmpint (decoded->totals.delayed, ==, 1);
  g_assert_cmpint (decoded->totals.satisfaction[4], ==, 1);
  g_assert_cmpuint (decoded->services->len, ==, 1);
  g_assert_cmpuint (decoded->days->len, ==, 2);
  g_assert_cmpint (g_array_index (decoded->days, KacWireStatsDay, 1).figures.by_channel[KAC_CHANNEL_IN_PERSON], ==, 2);
  g_assert_true (strstr (text, "\"average\":3.5") != NULL);
  /* 1 of 3, to four decimals (json-glib writes the double in full: 0.33329999…). */
  g_assert_true (strstr (text, "\"electronic_share\":0.333") != NULL);

  /* A newer server's extra kind is a count that takes part in the sum. */
  {
    g_autofree char *newer = replace_once (text, "\"by_kind\":{", "\"by_kind\":{\"future-kind\":0,");
    g_autoptr(KacWireStats) ok = kac_wire_decode_stats (newer, strlen (newer), &error);

    g_assert_no_error (error);
    g_assert_nonnull (ok);
  }

  for (guint i = 0; i < G_N_ELEMENTS (tampered); i++)
    {
      g_autofree char *bad = replace_once (text, tampered[i].old, tampered[i].new);
      g_autoptr(GError) bad_error = NULL;
      g_autoptr(KacWireStats) none = kac_wire_decode_stats (bad, strlen (bad), &bad_error);

      g_test_message ("tampered %u: %s → %s", i, tampered[i].old, tampered[i].new);
      g_assert_null (none);
      if (tampered[i].code == KAC_WIRE_ERROR_SYNTAX)
        g_assert_nonnull (bad_error);
      else
        g_assert_error (bad_error, KAC_WIRE_ERROR, tampered[i].code);
    }

  /* A repeated group would be counted twice. */
  {
    g_autoptr(GBytes) twice_bytes = NULL;
    g_autoptr(GError) twice_error = NULL;
    g_autoptr(KacWireStats) twice = NULL;

    kac_wire_stats_add_group (stats->services, "VSAA-01", "VSAA")->figures = stats->totals;
    twice_bytes = kac_wire_encode_stats (stats);
    twice = kac_wire_decode_stats (g_bytes_get_data (twice_bytes, NULL), g_bytes_get_size (twice_bytes),
                                   &twice_error);
    g_assert_null (twice);
    g_assert_error (twice_error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/stats/figures", Fixture, NULL, fixture_set_up, test_figures, fixture_tear_down);
  g_test_add ("/stats/ranges", Fixture, NULL, fixture_set_up, test_ranges, fixture_tear_down);
  g_test_add ("/stats/access", Fixture, NULL, fixture_set_up, test_access, fixture_tear_down);
  g_test_add ("/stats/bad-ranges", Fixture, NULL, fixture_set_up, test_bad_ranges, fixture_tear_down);
  g_test_add ("/stats/due-dates", Fixture, NULL, fixture_set_up, test_due_dates, fixture_tear_down);
  g_test_add_func ("/stats/migration", test_migration);
  g_test_add_func ("/stats/wire", test_wire);

  return g_test_run ();
}
