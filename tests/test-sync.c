/* test-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KacHttpClient and KacSyncEngine against the real kac-central, in this process, over HTTPS on
 * 127.0.0.1 with a test CA (tests/kac-test-central.c). Each test has a fresh desk store and a
 * fresh central store. The engine's clocks are shortened through kac-sync-engine-private.h;
 * the code paths are the desk's own. Faults (500, garbage, a slow answer, a connection dropped
 * after the server's commit) come from the server's own fault injection.
 */
#define G_LOG_DOMAIN "test-sync"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "kac-http-client.h"
#include "kac-store.h"
#include "kac-sync-engine.h"
#include "kac-sync-engine-private.h"
#include "kac-test-central.h"

#define WAIT_MS 20000

/* A network monitor the test switches (GNetworkMonitor is an interface). */

#define TEST_TYPE_MONITOR (test_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestMonitor, test_monitor, TEST, MONITOR, GObject)

struct _TestMonitor
{
  GObject  parent_instance;
  gboolean available;
};

enum { MONITOR_PROP_0, MONITOR_PROP_AVAILABLE, MONITOR_PROP_METERED, MONITOR_PROP_CONNECTIVITY };

static void test_monitor_iface_init (GNetworkMonitorInterface *iface);
static void test_monitor_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMonitor, test_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_monitor_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_monitor_iface_init))

static gboolean
test_monitor_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
test_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_monitor_initable_init;
}

static void
test_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestMonitor *self = TEST_MONITOR (object);

  switch (prop_id)
    {
    case MONITOR_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case MONITOR_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case MONITOR_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_monitor_class_init (TestMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_monitor_get_property;
  g_object_class_override_property (object_class, MONITOR_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, MONITOR_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, MONITOR_PROP_CONNECTIVITY, "connectivity");
}

static void
test_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

static void
test_monitor_init (TestMonitor *self)
{
  self->available = TRUE;
}

static void
test_monitor_set_available (TestMonitor *self,
                            gboolean     available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* Fixture */

typedef struct
{
  KacTestCentral *central;
  char           *dir;
  char           *store_path;
  KacStore       *store;
  TestMonitor    *monitor;
  KacSyncEngine  *engine;
  char           *token;
  guint           n_auth_needed;
} Fixture;

static void
auth_needed_cb (KacSyncEngine *engine,
                Fixture       *f)
{
  f->n_auth_needed++;
}

static void
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = kac_store_open (f->store_path, &error);
  g_assert_no_error (error);
}

/* An engine for the test server, signed out (no token yet), with clocks in milliseconds. */
static void
new_engine (Fixture *f)
{
  f->engine = kac_sync_engine_new_with_monitor (f->store, G_NETWORK_MONITOR (f->monitor));
  g_signal_connect (f->engine, "auth-needed", G_CALLBACK (auth_needed_cb), f);
  _kac_sync_engine_set_timing (f->engine, 50, 400, 0, 60 * 1000);
  _kac_sync_engine_set_timeouts (f->engine, 5, 10);
  kac_sync_engine_set_server_uri (f->engine, f->central->uri);
  kac_sync_engine_set_ca_file (f->engine, f->central->ca_file);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->central = kac_test_central_new ();
  f->dir = kac_test_make_tmp_dir ("kac-sync-desk-XXXXXX");
  f->store_path = g_build_filename (f->dir, "registrations.db", NULL);
  open_store (f);
  f->monitor = g_object_new (TEST_TYPE_MONITOR, NULL);
  f->token = kac_test_central_issue_token (f->central, KAC_TEST_CLERK, G_TIME_SPAN_HOUR);
  new_engine (f);
}

static void
close_engine (Fixture *f)
{
  kac_sync_engine_stop (f->engine);
  /* The cancelled request ends in its callback, which holds the engine. */
  kac_test_run_for (50);
  g_assert_finalize_object (f->engine);
  f->engine = NULL;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->engine != NULL)
    close_engine (f);
  g_assert_finalize_object (f->store);
  g_clear_object (&f->monitor);
  kac_test_central_free (f->central);
  kac_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->store_path);
  g_free (f->token);
}

static KacRecord *
save_application (Fixture    *f,
                  const char *centre)
{
  g_autoptr(KacRecord) record = kac_test_make_application (KAC_TEST_CLERK, centre);
  g_autoptr(GError) error = NULL;

  kac_store_save_record (f->store, record, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&record);
}

static char *
save_uuid (Fixture *f)
{
  g_autoptr(KacRecord) record = save_application (f, KAC_TEST_CENTRE);

  return g_strdup (kac_record_get_uuid (record));
}

static GPtrArray *
save_applications (Fixture *f,
                   guint    n)
{
  GPtrArray *uuids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KacRecord) record = save_application (f, KAC_TEST_CENTRE);

      g_ptr_array_add (uuids, g_strdup (kac_record_get_uuid (record)));
    }

  return uuids;
}

static KacRecord *
lookup (Fixture    *f,
        const char *uuid)
{
  g_autoptr(GError) error = NULL;
  KacRecord *record = kac_store_lookup_record (f->store, uuid, &error);

  g_assert_no_error (error);

  return record;
}

static gboolean
drained (gpointer data)
{
  Fixture *f = data;

  return kac_sync_engine_get_n_pending (f->engine) == 0 &&
         kac_sync_engine_get_state (f->engine) == KAC_SYNC_STATE_IDLE;
}

static gboolean
has_error (gpointer data)
{
  Fixture *f = data;

  return kac_sync_engine_get_last_error (f->engine) != NULL &&
         kac_sync_engine_get_state (f->engine) != KAC_SYNC_STATE_SYNCING;
}

/* Every record is accepted on the terminal with the number the server holds for it. */
static void
assert_all_accepted (Fixture   *f,
                     GPtrArray *uuids)
{
  for (guint i = 0; i < uuids->len; i++)
    {
      g_autoptr(KacRecord) record = lookup (f, uuids->pdata[i]);
      g_autofree char *number = kac_test_central_dup_number (f->central, uuids->pdata[i]);

      g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_ACCEPTED);
      g_assert_nonnull (number);
      g_assert_cmpstr (kac_record_get_central_number (record), ==, number);
      g_assert_null (kac_record_get_state_detail (record));
    }
}

static gint64
server_count (Fixture *f)
{
  return kac_central_store_get_n_records (f->central->store);
}

/* Tests: the HTTP client */

typedef struct
{
  GError         *error;
  KacWireSession *session;
  gboolean        done;
} SignInResult;

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SignInResult *r = user_data;

  r->session = kac_session_sign_in_finish (result, &r->error);
  r->done = TRUE;
}

static gboolean
sign_in_done (gpointer data)
{
  return ((SignInResult *) data)->done;
}

static void
sign_in (const char   *uri,
         const char   *ca_file,
         const char   *password,
         SignInResult *r)
{
  memset (r, 0, sizeof *r);
  kac_session_sign_in_async (uri, ca_file, KAC_TEST_CLERK, password, NULL, sign_in_cb, r);
  g_assert_true (kac_test_wait_until (sign_in_done, r, WAIT_MS));
}

static void
test_sign_in (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *cwd = g_get_current_dir ();
  SignInResult r;

  sign_in (f->central->uri, f->central->ca_file, KAC_TEST_PASSWORD, &r);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.session->token);
  g_assert_cmpstr (r.session->username, ==, KAC_TEST_CLERK);
  g_assert_cmpstr (r.session->role, ==, "clerk");
  g_assert_cmpstr (r.session->centre_id, ==, KAC_TEST_CENTRE);
  g_assert_cmpstr (r.session->centre_name, ==, "Rīgas VPVKAC");
  g_assert_nonnull (r.session->expires_at);
  g_clear_pointer (&r.session, kac_wire_session_free);

  /* A relative CA file is made absolute (libsoup 3.2 would fail every handshake). */
  g_assert_cmpint (g_chdir (f->central->dir), ==, 0);
  sign_in (f->central->uri, "ca.pem", KAC_TEST_PASSWORD, &r);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_assert_no_error (r.error);
  g_clear_pointer (&r.session, kac_wire_session_free);

  sign_in (f->central->uri, f->central->ca_file, "wrong password", &r);
  g_assert_error (r.error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_AUTH);
  g_assert_cmpuint (kac_http_error_get_status (r.error), ==, 401);
  g_assert_null (r.session);
  g_clear_error (&r.error);

  sign_in (f->central->uri, f->central->other_ca_file, KAC_TEST_PASSWORD, &r);
  g_assert_error (r.error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_TLS);
  g_assert_nonnull (strstr (r.error->message, "certificate"));
  g_clear_error (&r.error);

  /* No system CA knows the test CA either. */
  sign_in (f->central->uri, NULL, KAC_TEST_PASSWORD, &r);
  g_assert_error (r.error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_TLS);
  g_clear_error (&r.error);

  sign_in ("http://central.example.lv/", NULL, KAC_TEST_PASSWORD, &r);
  g_assert_error (r.error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_CONFIG);
  g_clear_error (&r.error);

  sign_in ("not a uri", NULL, KAC_TEST_PASSWORD, &r);
  g_assert_error (r.error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_CONFIG);
  g_clear_error (&r.error);

  sign_in (f->central->uri, "/nonexistent/ca.pem", KAC_TEST_PASSWORD, &r);
  g_assert_error (r.error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_CONFIG);
  g_clear_error (&r.error);

  /* Nothing listens: a network error, transient. */
  kac_test_central_stop (f->central);
  sign_in (f->central->uri, f->central->ca_file, KAC_TEST_PASSWORD, &r);
  g_assert_error (r.error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_NETWORK);
  g_assert_true (kac_http_error_is_transient (r.error));
  g_clear_error (&r.error);
}

/* How each answer is classified, against a small plain-HTTP SoupServer on loopback that
 * answers what the test asks for. */

typedef struct
{
  guint       status;
  const char *retry_after;
  const char *content_type;
  const char *body;
} Answer;

static void
answer_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  const Answer *answer = user_data;

  soup_server_message_set_status (msg, answer->status, NULL);
  if (answer->retry_after != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", answer->retry_after);
  if (answer->body != NULL)
    soup_server_message_set_response (msg, answer->content_type, SOUP_MEMORY_STATIC,
                                      answer->body, strlen (answer->body));
}

typedef struct
{
  GPtrArray *results;
  GError    *error;
  gboolean   done;
} SendResult;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendResult *r = user_data;

  r->results = kac_http_client_send_records_finish (KAC_HTTP_CLIENT (source), result, &r->error);
  r->done = TRUE;
}

static gboolean
send_done (gpointer data)
{
  return ((SendResult *) data)->done;
}

static void
test_outcomes (Fixture       *f,
               gconstpointer  data)
{
  static const char problem[] =
    "{\"type\": \"urn:kac:problem:busy\", \"title\": \"Busy.\", \"status\": 503, \"code\": \"busy\", \"retryable\": true}";
  static const char results[] =
    "{\"results\": [{\"uuid\": \"6f1c7e2a-4b0d-4c59-9a57-3e2f1d0c8b01\", \"status\": \"accepted\", "
    "\"central_number\": \"KAC-2026-000001\"}]}";
  g_autoptr(KacRecord) record = kac_test_make_application (KAC_TEST_CLERK, KAC_TEST_CENTRE);
  g_autofree char *body = kac_wire_encode_record (record);
  const char *bodies[] = { body, body };
  g_autoptr(GBytes) batch = kac_wire_encode_batch_request (bodies, 2);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KacHttpClient) client = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 120);
  g_autofree char *http_date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  g_autofree char *uri = NULL;
  GSList *uris;
  const struct { Answer answer; KacHttpError code; guint retry_low; guint retry_high; } cases[] = {
    { { 503, "7", "application/problem+json", problem }, KAC_HTTP_ERROR_SERVER, 7, 7 },
    { { 429, http_date, NULL, NULL }, KAC_HTTP_ERROR_SERVER, 100, 120 },
    { { 500, NULL, "text/html", "<h1>oops</h1>" }, KAC_HTTP_ERROR_SERVER, 0, 0 },
    { { 408, NULL, NULL, NULL }, KAC_HTTP_ERROR_SERVER, 0, 0 },
    { { 401, NULL, NULL, NULL }, KAC_HTTP_ERROR_AUTH, 0, 0 },
    { { 404, NULL, NULL, NULL }, KAC_HTTP_ERROR_REJECTED, 0, 0 },
    { { 403, NULL, "application/problem+json", problem }, KAC_HTTP_ERROR_REJECTED, 0, 0 },
    /* One result for two records. */
    { { 200, NULL, "application/json", results }, KAC_HTTP_ERROR_SERVER, 0, 0 },
    { { 200, NULL, "application/json", "[]" }, KAC_HTTP_ERROR_SERVER, 0, 0 },
  };

  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  uri = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  client = kac_http_client_new (uri, NULL, &error);
  g_assert_no_error (error);
  kac_http_client_set_token (client, "t");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SendResult r = { 0 };

      soup_server_remove_handler (server, NULL);
      soup_server_add_handler (server, NULL, answer_cb, (gpointer) &cases[i].answer, NULL);
      kac_http_client_send_records_async (client, batch, 2, NULL, send_cb, &r);
      g_assert_true (kac_test_wait_until (send_done, &r, WAIT_MS));
      g_assert_null (r.results);
      g_assert_error (r.error, KAC_HTTP_ERROR, (gint) cases[i].code);
      g_assert_cmpuint (kac_http_error_get_status (r.error), ==, cases[i].answer.status);
      g_assert_cmpuint (kac_http_error_get_retry_after (r.error), >=, cases[i].retry_low);
      g_assert_cmpuint (kac_http_error_get_retry_after (r.error), <=, cases[i].retry_high);
      g_assert_cmpint (kac_http_error_is_transient (r.error), ==, cases[i].code == KAC_HTTP_ERROR_SERVER);
      if (cases[i].answer.body == problem)
        g_assert_cmpstr (kac_http_error_get_code (r.error), ==, "busy");
      g_test_message ("%u: %s", cases[i].answer.status, r.error->message);
      g_clear_error (&r.error);
    }

  /* Plain http is for this computer only. */
  g_clear_object (&client);
  client = kac_http_client_new ("http://192.0.2.1/", NULL, &error);
  g_assert_error (error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_CONFIG);
  g_assert_null (client);
  soup_server_disconnect (server);
}

static void
test_backoff (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KacSyncEngine) engine = kac_sync_engine_new_with_monitor (f->store, G_NETWORK_MONITOR (f->monitor));
  const struct { guint n; guint low; guint high; } expected[] = {
    { 1, 1000, 2000 },
    { 2, 2000, 4000 },
    { 3, 4000, 8000 },
    { 9, 256000, 512000 },
    { 10, 450000, 900000 },   /* capped at 15 min */
    { 40, 450000, 900000 },
  };

  /* The default clocks: d(n) = min(15 min, 2 s · 2^(n−1)), sleep d/2 + random(0, d/2). */
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      guint low = G_MAXUINT, high = 0;

      for (guint k = 0; k < 2000; k++)
        {
          guint ms = _kac_sync_engine_backoff_ms (engine, expected[i].n);

          g_assert_cmpuint (ms, >=, expected[i].low);
          g_assert_cmpuint (ms, <=, expected[i].high);
          low = MIN (low, ms);
          high = MAX (high, ms);
        }

      /* Jitter really spreads over the half range. */
      g_assert_cmpuint (high - low, >, (expected[i].high - expected[i].low) / 2);
    }

  g_assert_cmpint (kac_sync_engine_get_state (engine), ==, KAC_SYNC_STATE_AUTH_NEEDED);
}

/* Tests: draining */

static void
test_drain (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(KacRecord) other_centre = NULL;
  g_autoptr(KacRecord) bad_code = NULL;
  g_autoptr(KacRecord) withdrawn = NULL;
  g_autoptr(KacRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  guint n_requests;

  uuids = save_applications (f, 23);
  other_centre = save_application (f, KAC_TEST_OTHER_CENTRE);
  bad_code = save_application (f, KAC_TEST_CENTRE);
  g_assert_cmpuint (kac_sync_engine_get_n_pending (f->engine), ==, 25);
  g_assert_cmpint (kac_sync_engine_get_state (f->engine), ==, KAC_SYNC_STATE_AUTH_NEEDED);

  /* An invalid personal code that bypassed the desk's validation (an older version, a
   * hand-edited file): only the server can refuse it. */
  close_engine (f);
  g_assert_finalize_object (f->store);
  g_assert_cmpint (sqlite3_open (f->store_path, &db), ==, SQLITE_OK);
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE records SET client_code = '161375-19997' WHERE uuid = '%s';"
                                            "UPDATE outbox SET body = replace (body, '161175-19997', '161375-19997') WHERE uuid = '%s';",
                                            kac_record_get_uuid (bad_code), kac_record_get_uuid (bad_code));
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }
  sqlite3_close (db);
  open_store (f);
  new_engine (f);
  kac_sync_engine_set_batch_size (f->engine, 10);

  kac_sync_engine_set_token (f->engine, f->token);
  g_assert_true (kac_test_wait_until (drained, f, WAIT_MS));

  assert_all_accepted (f, uuids);
  g_assert_cmpint (server_count (f), ==, 23);
  g_assert_cmpuint (kac_sync_engine_get_n_rejected (f->engine), ==, 2);
  g_assert_null (kac_sync_engine_get_last_error (f->engine));
  g_assert_nonnull (kac_sync_engine_get_last_sync (f->engine));

  /* The refusals keep the server's reason, for the clerk. */
  record = lookup (f, kac_record_get_uuid (other_centre));
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_REJECTED);
  g_assert_nonnull (kac_record_get_state_detail (record));
  g_assert_null (kac_record_get_central_number (record));
  g_test_message ("wrong centre: %s", kac_record_get_state_detail (record));
  g_clear_object (&record);
  record = lookup (f, kac_record_get_uuid (bad_code));
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_REJECTED);
  g_assert_nonnull (kac_record_get_state_detail (record));
  g_test_message ("bad code: %s", kac_record_get_state_detail (record));
  g_clear_object (&record);

  /* They are not retried: another sync sends no records, only asks for changes (status
   * changes, materials and notices: one request each). */
  n_requests = _kac_sync_engine_get_n_requests (f->engine);
  kac_sync_engine_sync_now (f->engine);
  g_assert_true (kac_test_wait_until (drained, f, WAIT_MS));
  g_assert_cmpuint (_kac_sync_engine_get_n_requests (f->engine), ==, n_requests + 3);
  g_assert_cmpint (server_count (f), ==, 23);

  /* The clerk corrects the centre: the correction goes out by itself. */
  record = lookup (f, kac_record_get_uuid (other_centre));
  kac_record_set_centre_id (record, KAC_TEST_CENTRE);
  kac_store_save_record (f->store, record, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kac_sync_engine_get_n_rejected (f->engine), ==, 1);
  g_assert_true (kac_test_wait_until (drained, f, WAIT_MS));
  g_clear_object (&record);
  record = lookup (f, kac_record_get_uuid (other_centre));
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_ACCEPTED);
  g_assert_nonnull (kac_record_get_central_number (record));
  g_assert_cmpint (server_count (f), ==, 24);
  g_clear_object (&record);

  /* A never-sent record that is withdrawn is never sent. */
  kac_sync_engine_stop (f->engine);
  withdrawn = save_application (f, KAC_TEST_CENTRE);
  g_assert_cmpuint (kac_sync_engine_get_n_pending (f->engine), ==, 1);
  kac_store_withdraw_record (f->store, kac_record_get_uuid (withdrawn), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kac_sync_engine_get_n_pending (f->engine), ==, 0);
  kac_sync_engine_sync_now (f->engine);
  g_assert_true (kac_test_wait_until (drained, f, WAIT_MS));
  record = lookup (f, kac_record_get_uuid (withdrawn));
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_WITHDRAWN);
  g_assert_null (kac_test_central_dup_number (f->central, kac_record_get_uuid (withdrawn)));
  g_assert_cmpint (server_count (f), ==, 24);
}

/* The record being sent cannot be corrected or withdrawn until its answer is in. */
static void
test_in_flight (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KacRecord) record = save_application (f, KAC_TEST_CENTRE);
  g_autoptr(KacRecord) sending = NULL;
  g_autoptr(GError) error = NULL;

  kac_central_server_inject_fault (f->central->server, KAC_CENTRAL_FAULT_DELAY, 1, 500);
  kac_sync_engine_set_token (f->engine, f->token);
  g_assert_cmpint (kac_sync_engine_get_state (f->engine), ==, KAC_SYNC_STATE_SYNCING);

  sending = lookup (f, kac_record_get_uuid (record));
  g_assert_cmpint (kac_record_get_state (sending), ==, KAC_RECORD_STATE_SENDING);
  g_assert_false (kac_record_is_editable (sending));
  kac_record_set_notes (sending, "Labojums");
  g_assert_false (kac_store_save_record (f->store, sending, &error));
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_EDITABLE);
  g_clear_error (&error);
  g_assert_false (kac_store_withdraw_record (f->store, kac_record_get_uuid (record), &error));
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_NOT_EDITABLE);
  g_clear_error (&error);

  g_assert_true (kac_test_wait_until (drained, f, WAIT_MS));
  g_clear_object (&sending);
  sending = lookup (f, kac_record_get_uuid (record));
  g_assert_cmpint (kac_record_get_state (sending), ==, KAC_RECORD_STATE_ACCEPTED);
}

static void
test_server_down (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) uuids = NULL;
  guint n_requests;

  kac_test_central_stop (f->central);
  uuids = save_applications (f, 30);
  kac_sync_engine_set_token (f->engine, f->token);

  g_assert_true (kac_test_wait_until (has_error, f, WAIT_MS));
  g_assert_cmpint (kac_sync_engine_get_state (f->engine), ==, KAC_SYNC_STATE_OFFLINE);
  g_assert_nonnull (kac_sync_engine_get_next_attempt (f->engine));
  g_assert_cmpuint (kac_sync_engine_get_n_pending (f->engine), ==, 30);
  g_test_message ("offline: %s", kac_sync_engine_get_last_error (f->engine));

  /* It keeps trying with backoff, and a record saved meanwhile waits with the others. */
  n_requests = _kac_sync_engine_get_n_requests (f->engine);
  kac_test_run_for (1500);
  g_assert_cmpuint (_kac_sync_engine_get_n_requests (f->engine), >, n_requests + 2);
  g_ptr_array_add (uuids, save_uuid (f));
  g_assert_cmpuint (kac_sync_engine_get_n_pending (f->engine), ==, 31);
  /* A retry may be on its way at this instant; between retries the engine says offline. */
  g_assert_true (kac_test_wait_until (has_error, f, WAIT_MS));
  g_assert_cmpint (kac_sync_engine_get_state (f->engine), ==, KAC_SYNC_STATE_OFFLINE);
  g_assert_cmpint (server_count (f), ==, 0);

  kac_test_central_start (f->central);
  kac_sync_engine_sync_now (f->engine);
  g_assert_true (kac_test_wait_until (drained, f, WAIT_MS));
  assert_all_accepted (f, uuids);
  g_assert_cmpint (server_count (f), ==, 31);
  g_assert_null (kac_sync_engine_get_last_error (f->engine));
  g_assert_null (kac_sync_engine_get_next_attempt (f->engine));
}

/* The network comes back: the engine tries by itself, without "Sync now". */
static void
test_network_back (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) uuids = NULL;

  /* A long backoff, so that only the network event can explain the drain. */
  _kac_sync_engine_set_timing (f->engine, 60 * 1000, 15 * 60 * 1000, 200, 60 * 1000);
  kac_test_central_stop (f->central);
  uuids = save_applications (f, 5);
  kac_sync_engine_set_token (f->engine, f->token);
  g_assert_true (kac_test_wait_until (has_error, f, WAIT_MS));
  g_assert_cmpint (kac_sync_engine_get_state (f->engine), ==, KAC_SYNC_STATE_OFFLINE);

  test_monitor_set_available (f->monitor, FALSE);
  kac_test_central_start (f->central);
  kac_test_run_for (300);
  g_assert_cmpuint (kac_sync_engine_get_n_pending (f->engine), ==, 5);

  test_monitor_set_available (f->monitor, TRUE);
  g_assert_true (kac_test_wait_until (drained, f, 5000));
  assert_all_accepted (f, uuids);
}

static void
test_drop_after_commit (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) uuids = save_applications (f, 40);
  guint n_requests;

  kac_sync_engine_set_batch_size (f->engine, 40);
  kac_central_server_inject_fault (f->central->server, KAC_CENTRAL_FAULT_DROP_AFTER_COMMIT, 1, 0);
  kac_sync_engine_set_token (f->engine, f->token);

  /* The server stored the batch, but the desk never heard. */
  g_assert_true (kac_test_wait_until (has_error, f, WAIT_MS));
  g_assert_cmpint (server_count (f), ==, 40);
  g_assert_cmpuint (kac_sync_engine_get_n_pending (f->engine), ==, 40);
  g_test_message ("dropped: %s", kac_sync_engine_get_last_error (f->engine));

  /* The resend (same bodies) is answered as a replay: each record once, same numbers. */
  n_requests = _kac_sync_engine_get_n_requests (f->engine);
  g_assert_true (kac_test_wait_until (drained, f, WAIT_MS));
  g_assert_cmpuint (_kac_sync_engine_get_n_requests (f->engine), >, n_requests);
  assert_all_accepted (f, uuids);
  g_assert_cmpint (server_count (f), ==, 40);
}

/* A TCP proxy in front of the server that can cut a connection at the worst moment: after the
 * server committed a batch (its record count went up) and before the answer reaches the desk.
 * A real network fault, with no help from the server. */

typedef struct
{
  GSocketService  *service;
  guint16          port;
  guint16          target_port;
  KacCentralStore *store;
  gint64           cut_above;   /* cut once the server holds more records than this; -1 never */
  guint            n_cuts;
  GCancellable    *cancellable;
} Proxy;

typedef struct
{
  Proxy             *proxy;
  GSocketConnection *client;
  GSocketConnection *server;
  gboolean           closed;
} Pipe;

typedef struct
{
  Pipe         *pipe;
  GInputStream *in;
  GOutputStream *out;
  gboolean      downstream;   /* server → desk */
  guint8        buffer[16384];
} Flow;

static Pipe *
pipe_ref (Pipe *pipe)
{
  return g_rc_box_acquire (pipe);
}

static void
pipe_clear (Pipe *pipe)
{
  g_clear_object (&pipe->client);
  g_clear_object (&pipe->server);
}

static void
pipe_unref (Pipe *pipe)
{
  g_rc_box_release_full (pipe, (GDestroyNotify) pipe_clear);
}

static void
pipe_close (Pipe *pipe)
{
  if (pipe->closed)
    return;

  pipe->closed = TRUE;
  if (pipe->client != NULL)
    g_io_stream_close (G_IO_STREAM (pipe->client), NULL, NULL);
  if (pipe->server != NULL)
    g_io_stream_close (G_IO_STREAM (pipe->server), NULL, NULL);
}

static void flow_read (Flow *flow);

static void
flow_free (Flow *flow)
{
  pipe_unref (flow->pipe);
  g_free (flow);
}

static void
flow_written_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Flow *flow = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL) || flow->pipe->closed)
    {
      pipe_close (flow->pipe);
      flow_free (flow);
      return;
    }

  flow_read (flow);
}

static void
flow_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Flow *flow = user_data;
  Proxy *proxy = flow->pipe->proxy;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || flow->pipe->closed)
    {
      pipe_close (flow->pipe);
      flow_free (flow);
      return;
    }

  /* The server answers only after its COMMIT: bytes coming back while it holds more records
   * than before are the answer to the batch. Cut instead of passing them on. */
  if (flow->downstream && proxy->cut_above >= 0 &&
      kac_central_store_get_n_records (proxy->store) > proxy->cut_above)
    {
      proxy->cut_above = -1;
      proxy->n_cuts++;
      pipe_close (flow->pipe);
      flow_free (flow);
      return;
    }

  g_output_stream_write_all_async (flow->out, flow->buffer, (gsize) n, G_PRIORITY_DEFAULT,
                                   proxy->cancellable, flow_written_cb, flow);
}

static void
flow_read (Flow *flow)
{
  g_input_stream_read_async (flow->in, flow->buffer, sizeof flow->buffer, G_PRIORITY_DEFAULT,
                             flow->pipe->proxy->cancellable, flow_read_cb, flow);
}

static void
flow_start (Pipe              *pipe,
            GSocketConnection *from,
            GSocketConnection *to,
            gboolean           downstream)
{
  Flow *flow = g_new0 (Flow, 1);

  flow->pipe = pipe_ref (pipe);
  flow->in = g_io_stream_get_input_stream (G_IO_STREAM (from));
  flow->out = g_io_stream_get_output_stream (G_IO_STREAM (to));
  flow->downstream = downstream;
  flow_read (flow);
}

static void
proxy_connected_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Pipe *pipe = user_data;

  pipe->server = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, NULL);
  if (pipe->server == NULL)
    pipe_close (pipe);
  else
    {
      flow_start (pipe, pipe->client, pipe->server, FALSE);
      flow_start (pipe, pipe->server, pipe->client, TRUE);
    }
  pipe_unref (pipe);
}

static gboolean
proxy_incoming_cb (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source_object,
                   Proxy             *proxy)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  Pipe *pipe = g_rc_box_new0 (Pipe);

  pipe->proxy = proxy;
  pipe->client = g_object_ref (connection);
  g_socket_client_connect_to_host_async (client, "127.0.0.1", proxy->target_port, proxy->cancellable,
                                         proxy_connected_cb, pipe);

  return TRUE;
}

static Proxy *
proxy_new (KacTestCentral *central)
{
  Proxy *proxy = g_new0 (Proxy, 1);
  g_autoptr(GError) error = NULL;

  proxy->service = g_socket_service_new ();
  proxy->target_port = (guint16) central->port;
  proxy->store = central->store;
  proxy->cut_above = -1;
  proxy->cancellable = g_cancellable_new ();
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) effective = NULL;

    g_socket_listener_add_address (G_SOCKET_LISTENER (proxy->service), address, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
    g_assert_no_error (error);
    proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  }
  g_signal_connect (proxy->service, "incoming", G_CALLBACK (proxy_incoming_cb), proxy);
  g_socket_service_start (proxy->service);

  return proxy;
}

static void
proxy_free (Proxy *proxy)
{
  g_socket_service_stop (proxy->service);
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
  g_cancellable_cancel (proxy->cancellable);
  /* Let every flow see its cancellation and drop its pipe. */
  kac_test_run_for (100);
  g_clear_object (&proxy->service);
  g_clear_object (&proxy->cancellable);
  g_free (proxy);
}

static void
test_proxy_cut_after_commit (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) uuids = save_applications (f, 60);
  Proxy *proxy = proxy_new (f->central);
  g_autofree char *uri = g_strdup_printf ("https://127.0.0.1:%u/", proxy->port);

  kac_sync_engine_set_batch_size (f->engine, 25);
  kac_sync_engine_set_server_uri (f->engine, uri);
  proxy->cut_above = 0;
  kac_sync_engine_set_token (f->engine, f->token);

  g_assert_true (kac_test_wait_until (drained, f, WAIT_MS));
  g_assert_cmpuint (proxy->n_cuts, ==, 1);
  assert_all_accepted (f, uuids);
  g_assert_cmpint (server_count (f), ==, 60);

  close_engine (f);
  proxy_free (proxy);
}

typedef struct
{
  KacCentralFault fault;
  guint           n;
  guint           delay_ms;
  KacSyncState    state;
} FaultCase;

static void
test_fault (Fixture       *f,
            gconstpointer  data)
{
  const FaultCase *fault = data;
  g_autoptr(GPtrArray) uuids = save_applications (f, 12);

  /* A request deadline of 1 s against a server that answers after 2.5 s. */
  _kac_sync_engine_set_timeouts (f->engine, 1, 1);
  kac_central_server_inject_fault (f->central->server, fault->fault, fault->n, fault->delay_ms);
  kac_sync_engine_set_token (f->engine, f->token);

  g_assert_true (kac_test_wait_until (has_error, f, WAIT_MS));
  g_assert_cmpint (kac_sync_engine_get_state (f->engine), ==, fault->state);
  g_assert_cmpuint (kac_sync_engine_get_n_pending (f->engine), ==, 12);
  g_test_message ("fault: %s", kac_sync_engine_get_last_error (f->engine));
  for (guint i = 0; i < uuids->len; i++)
    {
      g_autoptr(KacRecord) record = lookup (f, uuids->pdata[i]);

      g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_QUEUED);
      g_assert_null (kac_record_get_central_number (record));
    }

  g_assert_true (kac_test_wait_until (drained, f, WAIT_MS));
  assert_all_accepted (f, uuids);
  g_assert_cmpint (server_count (f), ==, 12);
}

static void
test_unknown_ca (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) uuids = save_applications (f, 3);
  guint n_requests;

  kac_sync_engine_set_ca_file (f->engine, f->central->other_ca_file);
  kac_sync_engine_set_token (f->engine, f->token);

  g_assert_true (kac_test_wait_until (has_error, f, WAIT_MS));
  g_assert_cmpint (kac_sync_engine_get_state (f->engine), ==, KAC_SYNC_STATE_TLS_ERROR);
  g_assert_nonnull (strstr (kac_sync_engine_get_last_error (f->engine), "certificate"));
  g_test_message ("tls: %s", kac_sync_engine_get_last_error (f->engine));
  g_assert_cmpuint (kac_sync_engine_get_n_pending (f->engine), ==, 3);
  g_assert_cmpint (server_count (f), ==, 0);
  for (guint i = 0; i < uuids->len; i++)
    {
      g_autoptr(KacRecord) record = lookup (f, uuids->pdata[i]);

      g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_QUEUED);
    }

  /* No blind retries, not even for a new record. */
  n_requests = _kac_sync_engine_get_n_requests (f->engine);
  g_ptr_array_add (uuids, save_uuid (f));
  kac_test_run_for (500);
  g_assert_cmpuint (_kac_sync_engine_get_n_requests (f->engine), ==, n_requests);
  g_assert_null (kac_sync_engine_get_next_attempt (f->engine));
  g_assert_cmpint (kac_sync_engine_get_state (f->engine), ==, KAC_SYNC_STATE_TLS_ERROR);

  /* The administrator fixes the CA file. */
  kac_sync_engine_set_ca_file (f->engine, f->central->ca_file);
  g_assert_true (kac_test_wait_until (drained, f, WAIT_MS));
  assert_all_accepted (f, uuids);
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  const gboolean revoke = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) uuids = save_applications (f, 7);
  g_autofree char *bad_token = NULL;

  if (revoke)
    {
      bad_token = kac_test_central_issue_token (f->central, KAC_TEST_CLERK, G_TIME_SPAN_HOUR);
      kac_test_central_revoke_token (f->central, bad_token);
    }
  else
    bad_token = kac_test_central_issue_token (f->central, KAC_TEST_CLERK, -G_TIME_SPAN_MINUTE);

  g_assert_cmpuint (f->n_auth_needed, ==, 0);
  kac_sync_engine_set_token (f->engine, bad_token);
  g_assert_true (kac_test_wait_until (has_error, f, WAIT_MS));
  g_assert_cmpint (kac_sync_engine_get_state (f->engine), ==, KAC_SYNC_STATE_AUTH_NEEDED);
  g_assert_cmpuint (f->n_auth_needed, ==, 1);
  g_assert_cmpuint (kac_sync_engine_get_n_pending (f->engine), ==, 7);
  g_assert_cmpint (server_count (f), ==, 0);
  g_test_message ("auth: %s", kac_sync_engine_get_last_error (f->engine));

  /* "Sync now" while the token is refused asks for the sign-in again, sends nothing. */
  kac_sync_engine_sync_now (f->engine);
  g_assert_cmpuint (f->n_auth_needed, ==, 2);
  kac_test_run_for (200);
  g_assert_cmpint (server_count (f), ==, 0);

  /* Signed in again: everything goes. */
  kac_sync_engine_set_token (f->engine, f->token);
  g_assert_true (kac_test_wait_until (drained, f, WAIT_MS));
  assert_all_accepted (f, uuids);
  g_assert_cmpint (server_count (f), ==, 7);

  /* Signing out (no token) is auth-needed too; records wait. */
  kac_sync_engine_set_token (f->engine, NULL);
  g_assert_cmpint (kac_sync_engine_get_state (f->engine), ==, KAC_SYNC_STATE_AUTH_NEEDED);
  g_free (save_uuid (f));
  kac_test_run_for (200);
  g_assert_cmpuint (kac_sync_engine_get_n_pending (f->engine), ==, 1);
}

static void
test_status_changes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) uuids = save_applications (f, 3);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *cursor2 = NULL;
  g_autofree char *due = NULL;
  KacApplicationStatus status;

  kac_sync_engine_set_token (f->engine, f->token);
  g_assert_true (kac_test_wait_until (drained, f, WAIT_MS));

  /* The registration itself is the first change of each. */
  for (guint i = 0; i < uuids->len; i++)
    {
      g_assert_true (kac_store_lookup_application_status (f->store, uuids->pdata[i], &status, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (status, ==, KAC_APPLICATION_STATUS_REGISTERED);
    }
  cursor = kac_store_dup_changes_cursor (f->store);
  g_assert_nonnull (cursor);

  /* The institution forwards one. */
  kac_central_store_set_status (f->central->store, uuids->pdata[1], KAC_APPLICATION_STATUS_FORWARDED,
                                "2026-12-01", NULL, NULL, "test", now, &error);
  g_assert_no_error (error);
  kac_sync_engine_sync_now (f->engine);
  g_assert_true (kac_test_wait_until (drained, f, WAIT_MS));
  g_assert_true (kac_store_lookup_application_status (f->store, uuids->pdata[1], &status, &due, NULL, &error));
  g_assert_cmpint (status, ==, KAC_APPLICATION_STATUS_FORWARDED);
  g_assert_cmpstr (due, ==, "2026-12-01");
  g_assert_true (kac_store_lookup_application_status (f->store, uuids->pdata[0], &status, NULL, NULL, &error));
  g_assert_cmpint (status, ==, KAC_APPLICATION_STATUS_REGISTERED);
  cursor2 = kac_store_dup_changes_cursor (f->store);
  g_assert_cmpstr (cursor2, !=, cursor);

  /* Resumable: a new engine (a restart) goes on from the stored cursor. */
  close_engine (f);
  new_engine (f);
  kac_central_store_set_status (f->central->store, uuids->pdata[1], KAC_APPLICATION_STATUS_COMPLETED,
                                NULL, NULL, NULL, "test", now, &error);
  g_assert_no_error (error);
  kac_sync_engine_set_token (f->engine, f->token);
  g_assert_true (kac_test_wait_until (drained, f, WAIT_MS));
  g_assert_true (kac_store_lookup_application_status (f->store, uuids->pdata[1], &status, NULL, NULL, &error));
  g_assert_cmpint (status, ==, KAC_APPLICATION_STATUS_COMPLETED);

  /* The server is restored from a backup (new epoch): 410, and a full resync. */
  g_clear_pointer (&cursor, g_free);
  cursor = kac_store_dup_changes_cursor (f->store);
  kac_central_store_new_epoch (f->central->store, &error);
  g_assert_no_error (error);
  kac_central_store_set_status (f->central->store, uuids->pdata[2], KAC_APPLICATION_STATUS_FORWARDED,
                                NULL, NULL, NULL, "test", now, &error);
  g_assert_no_error (error);
  kac_sync_engine_sync_now (f->engine);
  g_assert_true (kac_test_wait_until (drained, f, WAIT_MS));
  g_assert_null (kac_sync_engine_get_last_error (f->engine));
  g_assert_true (kac_store_lookup_application_status (f->store, uuids->pdata[2], &status, NULL, NULL, &error));
  g_assert_cmpint (status, ==, KAC_APPLICATION_STATUS_FORWARDED);
  g_clear_pointer (&cursor2, g_free);
  cursor2 = kac_store_dup_changes_cursor (f->store);
  g_assert_true (g_str_has_prefix (cursor2, kac_central_store_get_epoch (f->central->store)));
  g_assert_false (g_str_has_prefix (cursor, kac_central_store_get_epoch (f->central->store)));
}

/* The outbox sends the body saved with the record, byte for byte, also after a restart. */
static void
test_body_serialised_once (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(KacRecord) record = save_application (f, KAC_TEST_CENTRE);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(KacRecord) stored = lookup (f, kac_record_get_uuid (record));

  expected = kac_wire_encode_record (stored);
  entries = kac_store_outbox_take (f->store, 10, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((KacOutboxEntry *) entries->pdata[0])->body, ==, expected);

  /* A crash while in flight: at open it is pending again, same body. */
  close_engine (f);
  g_assert_finalize_object (f->store);
  open_store (f);
  g_assert_cmpuint (kac_store_get_n_pending (f->store), ==, 1);
  g_clear_object (&stored);
  stored = lookup (f, kac_record_get_uuid (record));
  g_assert_cmpint (kac_record_get_state (stored), ==, KAC_RECORD_STATE_QUEUED);
  again = kac_store_outbox_take (f->store, 10, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpstr (((KacOutboxEntry *) again->pdata[0])->body, ==, expected);

  /* A transient failure counts the attempt and schedules the next. */
  kac_store_outbox_release (f->store, again, g_get_real_time () + G_TIME_SPAN_HOUR, "down", &error);
  g_assert_no_error (error);
  g_clear_pointer (&again, g_ptr_array_unref);
  again = kac_store_outbox_take (f->store, 10, FALSE, &error);
  g_assert_cmpuint (again->len, ==, 0);
  g_clear_pointer (&again, g_ptr_array_unref);
  again = kac_store_outbox_take (f->store, 10, TRUE, &error);
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpuint (((KacOutboxEntry *) again->pdata[0])->attempts, ==, 1);
  kac_store_outbox_release (f->store, again, 0, NULL, &error);
  g_assert_no_error (error);

  /* A correction rewrites the body, due at once, attempts back to 0. */
  g_clear_object (&stored);
  stored = lookup (f, kac_record_get_uuid (record));
  kac_record_set_notes (stored, "Labots");
  kac_store_save_record (f->store, stored, &error);
  g_assert_no_error (error);
  g_clear_pointer (&expected, g_free);
  g_clear_object (&stored);
  stored = lookup (f, kac_record_get_uuid (record));
  expected = kac_wire_encode_record (stored);
  g_clear_pointer (&again, g_ptr_array_unref);
  again = kac_store_outbox_take (f->store, 10, FALSE, &error);
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpstr (((KacOutboxEntry *) again->pdata[0])->body, ==, expected);
  g_assert_nonnull (strstr (expected, "Labots"));
  g_assert_cmpuint (((KacOutboxEntry *) again->pdata[0])->attempts, ==, 0);
  kac_store_outbox_release (f->store, again, 0, NULL, &error);
  new_engine (f);
}

int
main (int   argc,
      char *argv[])
{
  static const FaultCase server_error = { KAC_CENTRAL_FAULT_SERVER_ERROR, 3, 0, KAC_SYNC_STATE_ERROR };
  static const FaultCase garbage = { KAC_CENTRAL_FAULT_GARBAGE, 2, 0, KAC_SYNC_STATE_ERROR };
  static const FaultCase slow = { KAC_CENTRAL_FAULT_DELAY, 1, 2500, KAC_SYNC_STATE_OFFLINE };
  static const FaultCase drop = { KAC_CENTRAL_FAULT_DROP, 2, 0, KAC_SYNC_STATE_OFFLINE };

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/sync/client/sign-in", test_sign_in, NULL);
  ADD ("/sync/client/outcomes", test_outcomes, NULL);
  ADD ("/sync/engine/backoff", test_backoff, NULL);
  ADD ("/sync/outbox/body-serialised-once", test_body_serialised_once, NULL);
  ADD ("/sync/engine/drain", test_drain, NULL);
  ADD ("/sync/engine/in-flight", test_in_flight, NULL);
  ADD ("/sync/engine/server-down", test_server_down, NULL);
  ADD ("/sync/engine/network-back", test_network_back, NULL);
  ADD ("/sync/engine/drop-after-commit", test_drop_after_commit, NULL);
  ADD ("/sync/engine/proxy-cut-after-commit", test_proxy_cut_after_commit, NULL);
  ADD ("/sync/engine/fault/500", test_fault, &server_error);
  ADD ("/sync/engine/fault/garbage", test_fault, &garbage);
  ADD ("/sync/engine/fault/slow", test_fault, &slow);
  ADD ("/sync/engine/fault/drop", test_fault, &drop);
  ADD ("/sync/engine/unknown-ca", test_unknown_ca, NULL);
  ADD ("/sync/engine/auth/expired", test_auth, GINT_TO_POINTER (FALSE));
  ADD ("/sync/engine/auth/revoked", test_auth, GINT_TO_POINTER (TRUE));
  ADD ("/sync/engine/status-changes", test_status_changes, NULL);

#undef ADD

  return g_test_run ();
}
