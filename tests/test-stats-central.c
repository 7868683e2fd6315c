/* test-stats-central.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk's request for the whole centre's figures (kac_http_client_get_stats_async) against
 * the real kac-central in process over HTTPS: a manager gets their centre's figures (every
 * terminal's registrations, not another centre's), counted by hand below; a clerk and a
 * manager of another centre are refused with the server's reason; an expired sign-in is an
 * auth error; a server that is down is a network error.
 */
#define G_LOG_DOMAIN "test-stats-central"

#include "config.h"

#include "kac-http-client.h"
#include "kac-test-central.h"

#include <locale.h>

#define MANAGER        "ilze"
#define OTHER_MANAGER  "peteris"

typedef struct
{
  KacTestCentral *central;
  KacHttpClient  *client;
} Fixture;

typedef struct
{
  gboolean      done;
  KacWireStats *stats;
  GError       *error;
} Result;

/* Registrations of two clerks' terminals of Rīga (one the day before in UTC but 1 March in
 * Latvia) and one of Cēsis. */
typedef struct
{
  const char    *created_at;
  const char    *centre;
  KacRecordKind  kind;
  KacChannel     channel;
} Seed;

static const Seed seeds[] = {
  { "2025-02-28T22:30:00Z", KAC_TEST_CENTRE, KAC_RECORD_KIND_INFORMATION, KAC_CHANNEL_PHONE },
  { "2025-03-03T09:00:00Z", KAC_TEST_CENTRE, KAC_RECORD_KIND_INFORMATION, KAC_CHANNEL_IN_PERSON },
  { "2025-03-03T10:00:00Z", KAC_TEST_CENTRE, KAC_RECORD_KIND_COMPLAINT, KAC_CHANNEL_POST },
  { "2025-03-03T11:00:00Z", KAC_TEST_OTHER_CENTRE, KAC_RECORD_KIND_INFORMATION, KAC_CHANNEL_PHONE },
  { "2025-03-08T09:00:00Z", KAC_TEST_CENTRE, KAC_RECORD_KIND_INFORMATION, KAC_CHANNEL_PHONE },
};

static void
store_seed (KacCentralStore *store,
            const Seed      *seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCentralUser) clerk = kac_central_store_lookup_user (store, KAC_TEST_CLERK, &error);
  g_autoptr(GDateTime) created_at = g_date_time_new_from_iso8601 (seed->created_at, NULL);
  g_autoptr(KacRecord) record = g_object_new (KAC_TYPE_RECORD,
                                              "created-at", created_at,
                                              "kind", seed->kind,
                                              "channel", seed->channel,
                                              "centre-id", seed->centre,
                                              "clerk", KAC_TEST_CLERK,
                                              NULL);
  g_autofree char *body = kac_wire_encode_record (record);
  g_autofree char *hash = kac_wire_record_hash (record);
  g_autofree char *number = NULL;

  g_assert_no_error (error);
  g_assert_true (kac_central_store_begin (store, &error));
  number = kac_central_store_insert_record (store, record, body, hash, NULL, clerk, created_at, &error);
  g_assert_no_error (error);
  g_assert_nonnull (number);
  g_assert_true (kac_central_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->central = kac_test_central_new ();
  g_assert_true (kac_central_store_add_user (f->central->store, MANAGER, NULL, "unused",
                                             KAC_CENTRAL_ROLE_MANAGER, KAC_TEST_CENTRE, NULL, &error));
  g_assert_true (kac_central_store_add_user (f->central->store, OTHER_MANAGER, NULL, "unused",
                                             KAC_CENTRAL_ROLE_MANAGER, KAC_TEST_OTHER_CENTRE, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    store_seed (f->central->store, &seeds[i]);

  f->client = kac_http_client_new (f->central->uri, f->central->ca_file, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->client);
  kac_test_central_free (f->central);
}

static void
stats_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *r = user_data;

  r->stats = kac_http_client_get_stats_finish (KAC_HTTP_CLIENT (source), result, &r->error);
  r->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Result *) data)->done;
}

/* GET the figures of @centre for 1-7 March 2025 as @username (NULL: no token). */
static void
get_stats (Fixture    *f,
           const char *username,
           const char *centre,
           Result     *r)
{
  g_autofree char *token = username != NULL ? kac_test_central_issue_token (f->central, username, G_TIME_SPAN_HOUR) : NULL;
  GDate from, to;

  g_date_clear (&from, 1);
  g_date_set_dmy (&from, 1, G_DATE_MARCH, 2025);
  g_date_clear (&to, 1);
  g_date_set_dmy (&to, 7, G_DATE_MARCH, 2025);

  kac_http_client_set_token (f->client, token);
  kac_http_client_get_stats_async (f->client, centre, &from, &to, NULL, stats_cb, r);
  g_assert_true (kac_test_wait_until (is_done, r, 20000));
}

static void
test_manager (Fixture       *f,
              gconstpointer  data)
{
  Result r = { 0, };

  get_stats (f, MANAGER, KAC_TEST_CENTRE, &r);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.stats);
  g_assert_cmpstr (r.stats->centre_id, ==, KAC_TEST_CENTRE);
  g_assert_cmpuint (r.stats->days->len, ==, 7);
  /* 1 March (22:30 UTC the day before) and two on 3 March; not Cēsis, not 8 March. */
  g_assert_cmpint (r.stats->totals.cases, ==, 3);
  g_assert_cmpint (r.stats->totals.complaints, ==, 1);
  g_assert_cmpint (r.stats->totals.by_channel[KAC_CHANNEL_PHONE], ==, 1);
  g_assert_cmpint (r.stats->totals.by_channel[KAC_CHANNEL_POST], ==, 1);
  g_assert_cmpint (g_array_index (r.stats->days, KacWireStatsDay, 0).figures.cases, ==, 1);
  g_assert_cmpint (g_array_index (r.stats->days, KacWireStatsDay, 2).figures.cases, ==, 2);
  kac_wire_stats_free (r.stats);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  Result clerk = { 0, }, other = { 0, }, none = { 0, };

  /* A clerk: the server says why, and that is what the page shows. */
  get_stats (f, KAC_TEST_CLERK, KAC_TEST_CENTRE, &clerk);
  g_assert_null (clerk.stats);
  g_assert_error (clerk.error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_REJECTED);
  g_assert_cmpuint (kac_http_error_get_status (clerk.error), ==, 403);
  g_assert_cmpstr (kac_http_error_get_code (clerk.error), ==, "forbidden-role");
  g_test_message ("clerk: %s", clerk.error->message);
  g_clear_error (&clerk.error);

  /* Another centre's manager. */
  get_stats (f, OTHER_MANAGER, KAC_TEST_CENTRE, &other);
  g_assert_null (other.stats);
  g_assert_error (other.error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_REJECTED);
  g_assert_cmpuint (kac_http_error_get_status (other.error), ==, 403);
  g_test_message ("other centre: %s", other.error->message);
  g_clear_error (&other.error);

  /* Not signed in. */
  get_stats (f, NULL, KAC_TEST_CENTRE, &none);
  g_assert_null (none.stats);
  g_assert_error (none.error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_AUTH);
  g_clear_error (&none.error);
}

static void
test_server_down (Fixture       *f,
                  gconstpointer  data)
{
  Result r = { 0, };

  kac_test_central_stop (f->central);
  get_stats (f, NULL, KAC_TEST_CENTRE, &r);
  g_assert_null (r.stats);
  g_assert_error (r.error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_NETWORK);
  g_assert_true (kac_http_error_is_transient (r.error));
  g_clear_error (&r.error);
  kac_test_central_start (f->central);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/stats-central/manager", Fixture, NULL, fixture_set_up, test_manager, fixture_tear_down);
  g_test_add ("/stats-central/refused", Fixture, NULL, fixture_set_up, test_refused, fixture_tear_down);
  g_test_add ("/stats-central/server-down", Fixture, NULL, fixture_set_up, test_server_down, fixture_tear_down);

  return g_test_run ();
}
