/* test-central-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kac-central in-process over real HTTPS on 127.0.0.1, with a test CA and leaf certificate
 * made by `openssl` in a temporary directory, and a SoupSession that trusts only that CA.
 * Each test gets a fresh database.
 */
#define G_LOG_DOMAIN "test-central-server"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "kac-central-auth.h"
#include "kac-central-server.h"
#include "kac-central-store.h"
#include "kac-test-central.h"
#include "kac-wire.h"

#define VALID_CODE "161175-19997"

static char *pki_dir;        /* the test CA, its leaf and another CA */

typedef struct
{
  char             *dir;
  char             *db_path;
  KacCentralStore  *store;
  KacCentralServer *server;
  SoupSession      *session;
  char             *base;     /* "https://127.0.0.1:PORT" */
  char             *clerk_token;
} Fixture;

/* PKI: made once for all tests by kac_test_make_pki() */

static char *
pki_path (const char *name)
{
  return g_build_filename (pki_dir, name, NULL);
}

/* HTTP */

static SoupSession *
new_session (const char *ca_name)
{
  g_autofree char *ca = pki_path (ca_name);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ca, &error);

  g_assert_no_error (error);
  return soup_session_new_with_options ("tls-database", database, "timeout", 10, NULL);
}

/* Sends one request and runs the main loop (where the server lives) until the answer. */
static guint
send_full (SoupSession  *session,
           const char   *base,
           const char   *method,
           const char   *path,
           const char   *token,
           const char   *content_type,
           const char   *body,
           gssize        length,
           const char   *if_none_match,
           GBytes      **response,
           SoupMessage **out_msg,
           GError      **error)
{
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) body_read = NULL;
  guint status;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (if_none_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-None-Match", if_none_match);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  body_read = kac_test_send_and_read (session, msg, error);
  if (body_read == NULL)
    return 0;

  status = soup_message_get_status (msg);
  if (response != NULL)
    *response = g_steal_pointer (&body_read);
  if (out_msg != NULL)
    *out_msg = g_object_ref (msg);

  return status;
}

/* With KAC_CENTRAL_RESPONSES_DIR set, every checked answer body is also written there as
 * "<Schema>-<n>.json", so that tests/test-central-openapi.sh can check real answers against the
 * schemas of data/openapi.yaml. */
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

  name = g_strdup_printf ("%s-%03u.json", schema, ++counter);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
}

static guint
send_json (Fixture     *f,
           const char  *method,
           const char  *path,
           const char  *token,
           const char  *body,
           GBytes     **response)
{
  g_autoptr(GError) error = NULL;
  guint status = send_full (f->session, f->base, method, path, token, "application/json", body, -1,
                            NULL, response, NULL, &error);

  g_assert_no_error (error);
  return status;
}

static KacWireProblem *
expect_problem (Fixture    *f,
                const char *method,
                const char *path,
                const char *token,
                const char *body,
                guint       expected_status,
                const char *expected_code)
{
  g_autoptr(GBytes) response = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  KacWireProblem *problem;
  guint status;

  status = send_full (f->session, f->base, method, path, token, "application/json", body, -1, NULL,
                      &response, &msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, expected_status);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                   ==, "application/problem+json");

  problem = kac_wire_decode_problem (g_bytes_get_data (response, NULL), g_bytes_get_size (response), &error);
  g_assert_no_error (error);
  dump_response ("Problem", response);
  g_assert_cmpuint (problem->status, ==, expected_status);
  g_assert_cmpstr (problem->code, ==, expected_code);
  g_assert_true (strlen (problem->title) > 0);
  return problem;
}

/* Fixture */

static char *
sign_in (Fixture    *f,
         const char *username,
         const char *password)
{
  g_autoptr(GBytes) request = kac_wire_encode_sign_in (username, password);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(KacWireSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = g_strndup (g_bytes_get_data (request, NULL), g_bytes_get_size (request));

  g_assert_cmpuint (send_json (f, "POST", "/api/v1/session", NULL, body, &response), ==, 200);
  session = kac_wire_decode_session (g_bytes_get_data (response, NULL), g_bytes_get_size (response), &error);
  g_assert_no_error (error);
  dump_response ("Session", response);

  return g_strdup (session->token);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = pki_path (KAC_TEST_PKI_LEAF);
  g_autofree char *key = pki_path (KAC_TEST_PKI_LEAF_KEY);
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_autoptr(GUri) uri = NULL;

  g_assert_no_error (error);

  f->dir = kac_test_make_tmp_dir ("kac-central-XXXXXX");
  f->db_path = g_build_filename (f->dir, "central.db", NULL);
  f->store = kac_central_store_open (f->db_path, &error);
  g_assert_no_error (error);

  g_assert_true (kac_central_store_add_centre (f->store, "riga-1", "Rīgas VPVKAC", KAC_CENTRE_KIND_NATIONAL, &error));
  g_assert_true (kac_central_store_add_centre (f->store, "cesis", "Cēsu VPVKAC", KAC_CENTRE_KIND_REGIONAL, &error));
  g_assert_no_error (error);
  kac_test_central_add_user (f->store, "anna", "anna-password", KAC_CENTRAL_ROLE_CLERK, "riga-1", NULL);
  kac_test_central_add_user (f->store, "cilda", "cilda-password", KAC_CENTRAL_ROLE_CLERK, "cesis", NULL);
  kac_test_central_add_user (f->store, "vsaa", "vsaa-password", KAC_CENTRAL_ROLE_INSTITUTION, NULL, "VSAA");
  kac_test_central_add_user (f->store, "vid", "vid-password", KAC_CENTRAL_ROLE_INSTITUTION, NULL, "VID");

  f->server = kac_central_server_new (f->store, NULL, &error);
  g_assert_no_error (error);
  kac_central_server_listen (f->server, certificate, "127.0.0.1", 0, &error);
  g_assert_no_error (error);

  uri = kac_central_server_get_uri (f->server);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "https");
  f->base = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uri));
  f->session = new_session (KAC_TEST_PKI_CA);
  f->clerk_token = sign_in (f, "anna", "anna-password");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  kac_central_server_disconnect (f->server);
  g_assert_finalize_object (f->server);
  g_assert_finalize_object (f->store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  kac_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
  g_free (f->base);
  g_free (f->clerk_token);
}

/* Records */

static KacRecord *
make_application (const char *centre,
                  const char *service)
{
  KacRecord *record = g_object_new (KAC_TYPE_RECORD,
                                    "kind", KAC_RECORD_KIND_APPLICATION,
                                    "service-code", service,
                                    "institution-code", "VSAA",
                                    "channel", KAC_CHANNEL_IN_PERSON,
                                    "client-name", "Jānis Bērziņš",
                                    "client-code", VALID_CODE,
                                    "clerk", "anna",
                                    "centre-id", centre,
                                    NULL);
  return record;
}

static char *
batch_of (KacRecord **records,
          guint       n)
{
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) bytes = NULL;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (bodies, kac_wire_encode_record (records[i]));

  bytes = kac_wire_encode_batch_request ((const char * const *) bodies->pdata, bodies->len);
  dump_response ("BatchRequest", bytes);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static GPtrArray *
post_batch (Fixture    *f,
            const char *token,
            const char *body)
{
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  g_assert_cmpuint (send_json (f, "POST", "/api/v1/records", token, body, &response), ==, 200);
  results = kac_wire_decode_batch_response (g_bytes_get_data (response, NULL), g_bytes_get_size (response),
                                            &error);
  g_assert_no_error (error);
  dump_response ("BatchResponse", response);
  return results;
}

static KacWireItemResult *
result_at (GPtrArray *results,
           guint      i)
{
  g_assert_cmpuint (i, <, results->len);
  return g_ptr_array_index (results, i);
}

static void
assert_central_number (const char *number)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *prefix = g_strdup_printf ("KAC-%04d-", g_date_time_get_year (now));

  g_assert_nonnull (number);
  g_assert_true (g_str_has_prefix (number, prefix));
  g_assert_cmpuint (strlen (number), ==, strlen (prefix) + 6);
  for (const char *p = number + strlen (prefix); *p; p++)
    g_assert_true (g_ascii_isdigit (*p));
}

/* Tests */

static void
test_sign_in (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) request = kac_wire_encode_sign_in ("anna", "anna-password");
  g_autoptr(GBytes) response = NULL;
  g_autoptr(KacWireSession) session = NULL;
  g_autoptr(KacWireProblem) wrong = NULL;
  g_autoptr(KacWireProblem) unknown = NULL;
  g_autoptr(KacWireProblem) malformed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *body = g_strndup (g_bytes_get_data (request, NULL), g_bytes_get_size (request));
  GTimeSpan lifetime;

  g_assert_cmpuint (send_json (f, "POST", "/api/v1/session", NULL, body, &response), ==, 200);
  session = kac_wire_decode_session (g_bytes_get_data (response, NULL), g_bytes_get_size (response), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (session->username, ==, "anna");
  g_assert_cmpstr (session->role, ==, "clerk");
  g_assert_cmpstr (session->centre_id, ==, "riga-1");
  g_assert_cmpstr (session->centre_name, ==, "Rīgas VPVKAC");
  g_assert_cmpstr (session->centre_kind, ==, "national");
  g_assert_cmpuint (strlen (session->token), ==, 43);
  g_assert_cmpstr (session->token, !=, f->clerk_token);
  /* Taken after the answer, so the server's clock reading lies before it. */
  now = g_date_time_new_now_utc ();
  lifetime = g_date_time_difference (session->expires_at, now);
  g_assert_cmpint (lifetime, >, 11 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (lifetime, <=, 12 * G_TIME_SPAN_HOUR);

  wrong = expect_problem (f, "POST", "/api/v1/session", NULL,
                          "{\"username\":\"anna\",\"password\":\"guess\"}", 401, "invalid-credentials");
  g_assert_false (wrong->retryable);
  unknown = expect_problem (f, "POST", "/api/v1/session", NULL,
                            "{\"username\":\"nobody\",\"password\":\"anna-password\"}", 401, "invalid-credentials");
  malformed = expect_problem (f, "POST", "/api/v1/session", NULL, "{\"username\":[]}", 400, "invalid-request");
}

static void
test_tokens (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KacWireProblem) missing = NULL;
  g_autoptr(KacWireProblem) wrong = NULL;
  g_autoptr(KacWireProblem) expired = NULL;
  g_autoptr(KacWireProblem) revoked = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) past = g_date_time_add_minutes (now, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *old_token = kac_central_new_token ();
  g_autofree char *second = NULL;
  g_autoptr(KacCentralUser) anna = kac_central_store_lookup_user (f->store, "anna", &error);
  guint8 hash[KAC_CENTRAL_TOKEN_HASH_SIZE];

  /* No token: 401 with a Bearer challenge. */
  g_assert_cmpuint (send_full (f->session, f->base, "GET", "/api/v1/records/changes", NULL, NULL, NULL, 0,
                               NULL, NULL, &msg, &error), ==, 401);
  g_assert_nonnull (soup_message_headers_get_one (soup_message_get_response_headers (msg), "WWW-Authenticate"));
  missing = expect_problem (f, "GET", "/api/v1/records/changes", NULL, NULL, 401, "unauthenticated");

  wrong = expect_problem (f, "GET", "/api/v1/records/changes", "not-a-token-we-issued", NULL, 401, "invalid-token");

  /* A token that expired a minute ago. */
  kac_central_hash_token (old_token, hash);
  g_assert_true (kac_central_store_add_token (f->store, hash, anna->id, past, &error));
  g_assert_no_error (error);
  expired = expect_problem (f, "GET", "/api/v1/records/changes", old_token, NULL, 401, "invalid-token");
  g_assert_false (expired->retryable);

  /* Sign out revokes exactly the token used. */
  second = sign_in (f, "anna", "anna-password");
  g_assert_cmpuint (send_json (f, "GET", "/api/v1/records/changes", second, NULL, NULL), ==, 200);
  g_assert_cmpuint (send_json (f, "DELETE", "/api/v1/session", second, NULL, NULL), ==, 204);
  revoked = expect_problem (f, "GET", "/api/v1/records/changes", second, NULL, 401, "invalid-token");
  g_assert_cmpuint (send_json (f, "GET", "/api/v1/records/changes", f->clerk_token, NULL, NULL), ==, 200);
}

static void
test_records_mixed (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KacRecord) good = make_application ("riga-1", "VSAA-01");
  g_autoptr(KacRecord) bad_code = make_application ("riga-1", "VSAA-01");
  g_autoptr(KacRecord) unknown_service = make_application ("riga-1", "NOPE-99");
  g_autoptr(KacRecord) other_centre = make_application ("cesis", "VSAA-01");
  g_autoptr(KacRecord) complaint = kac_record_new (KAC_RECORD_KIND_COMPLAINT);
  KacRecord *records[5];
  g_autofree char *body = NULL;
  g_autofree char *with_malformed = NULL;
  g_autoptr(GPtrArray) results = NULL;
  KacWireItemResult *r;
  const char *malformed = "{\"uuid\":\"0a2b4c6d-8e0f-4a1b-9c3d-5e7f90a1b2c3\",\"kind\":\"application\","
                          "\"channel\":\"fax\",\"created_at\":\"2026-01-01T00:00:00Z\",\"centre_id\":\"riga-1\"}";

  kac_record_set_client_code (bad_code, "161175-19998");
  kac_record_set_channel (complaint, KAC_CHANNEL_POST);
  kac_record_set_centre_id (complaint, "riga-1");
  records[0] = good;
  records[1] = bad_code;
  records[2] = unknown_service;
  records[3] = other_centre;
  records[4] = complaint;
  body = batch_of (records, 5);
  /* Splice a malformed item in before the closing "]}". */
  with_malformed = g_strdup_printf ("%.*s,%s]}", (int) strlen (body) - 2, body, malformed);

  results = post_batch (f, f->clerk_token, with_malformed);
  g_assert_cmpuint (results->len, ==, 6);

  r = result_at (results, 0);
  g_assert_cmpstr (r->uuid, ==, kac_record_get_uuid (good));
  g_assert_cmpint (r->status, ==, KAC_WIRE_ITEM_ACCEPTED);
  g_assert_false (r->replay);
  assert_central_number (r->central_number);

  r = result_at (results, 1);
  g_assert_cmpint (r->status, ==, KAC_WIRE_ITEM_REJECTED);
  g_assert_cmpstr (r->code, ==, "invalid-personal-code");
  g_assert_cmpstr (r->field, ==, "client.personal_code");
  g_assert_null (r->central_number);
  g_assert_true (strlen (r->title) > 10);

  r = result_at (results, 2);
  g_assert_cmpint (r->status, ==, KAC_WIRE_ITEM_REJECTED);
  g_assert_cmpstr (r->code, ==, "invalid-service");
  g_assert_cmpstr (r->field, ==, "service_code");

  r = result_at (results, 3);
  g_assert_cmpint (r->status, ==, KAC_WIRE_ITEM_REJECTED);
  g_assert_cmpstr (r->code, ==, "wrong-centre");
  g_assert_cmpstr (r->field, ==, "centre_id");

  r = result_at (results, 4);
  g_assert_cmpint (r->status, ==, KAC_WIRE_ITEM_ACCEPTED);
  assert_central_number (r->central_number);
  g_assert_cmpstr (r->central_number, !=, result_at (results, 0)->central_number);

  r = result_at (results, 5);
  g_assert_cmpint (r->status, ==, KAC_WIRE_ITEM_REJECTED);
  g_assert_cmpstr (r->code, ==, "malformed-record");
  g_assert_cmpstr (r->field, ==, "channel");

  g_assert_cmpint (kac_central_store_get_n_records (f->store), ==, 2);

  /* The rejected record, corrected, goes through with the same UUID. */
  kac_record_set_client_code (bad_code, VALID_CODE);
  g_clear_pointer (&body, g_free);
  records[0] = bad_code;
  body = batch_of (records, 1);
  g_clear_pointer (&results, g_ptr_array_unref);
  results = post_batch (f, f->clerk_token, body);
  g_assert_cmpint (result_at (results, 0)->status, ==, KAC_WIRE_ITEM_ACCEPTED);
  g_assert_cmpint (kac_central_store_get_n_records (f->store), ==, 3);
}

static void
test_records_replay_and_conflict (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(KacRecord) a = make_application ("riga-1", "VSAA-01");
  g_autoptr(KacRecord) b = make_application ("riga-1", "VSAA-01");
  g_autoptr(KacRecord) a_changed = NULL;
  KacRecord *records[4];
  g_autofree char *body = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) third = NULL;
  g_autoptr(GPtrArray) fourth = NULL;

  records[0] = a;
  records[1] = b;
  body = batch_of (records, 2);
  first = post_batch (f, f->clerk_token, body);
  g_assert_cmpint (result_at (first, 0)->status, ==, KAC_WIRE_ITEM_ACCEPTED);
  g_assert_cmpint (result_at (first, 1)->status, ==, KAC_WIRE_ITEM_ACCEPTED);

  /* The same bytes again (a resend after a lost answer): the first answers, flagged. */
  second = post_batch (f, f->clerk_token, body);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpint (result_at (second, i)->status, ==, KAC_WIRE_ITEM_ACCEPTED);
      g_assert_true (result_at (second, i)->replay);
      g_assert_cmpstr (result_at (second, i)->central_number, ==, result_at (first, i)->central_number);
    }
  g_assert_cmpint (kac_central_store_get_n_records (f->store), ==, 2);

  /* Same UUID, other body: a conflict for that item only; nothing changes. */
  a_changed = kac_record_copy (a);
  kac_record_set_notes (a_changed, "Edited after sending");
  records[0] = a_changed;
  again = batch_of (records, 1);
  third = post_batch (f, f->clerk_token, again);
  g_assert_cmpint (result_at (third, 0)->status, ==, KAC_WIRE_ITEM_CONFLICT);
  g_assert_cmpstr (result_at (third, 0)->code, ==, "uuid-conflict");
  g_assert_null (result_at (third, 0)->central_number);

  /* Inside one request: a repeated UUID with the same body is a duplicate of the first, with
   * another body a conflict. */
  {
    g_autoptr(KacRecord) c = make_application ("riga-1", "VSAA-01");
    g_autoptr(KacRecord) c_changed = kac_record_copy (c);
    g_autofree char *mixed = NULL;

    kac_record_set_channel (c_changed, KAC_CHANNEL_PHONE);
    records[0] = c;
    records[1] = c;
    records[2] = c_changed;
    records[3] = a;
    mixed = batch_of (records, 4);
    fourth = post_batch (f, f->clerk_token, mixed);
    g_assert_cmpint (result_at (fourth, 0)->status, ==, KAC_WIRE_ITEM_ACCEPTED);
    g_assert_false (result_at (fourth, 0)->replay);
    g_assert_cmpint (result_at (fourth, 1)->status, ==, KAC_WIRE_ITEM_DUPLICATE);
    g_assert_cmpstr (result_at (fourth, 1)->central_number, ==, result_at (fourth, 0)->central_number);
    g_assert_cmpint (result_at (fourth, 2)->status, ==, KAC_WIRE_ITEM_CONFLICT);
    g_assert_cmpint (result_at (fourth, 3)->status, ==, KAC_WIRE_ITEM_ACCEPTED);
    g_assert_true (result_at (fourth, 3)->replay);
  }

  g_assert_cmpint (kac_central_store_get_n_records (f->store), ==, 3);
}

static void
test_records_unknown_fields (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(KacRecord) record = make_application ("riga-1", "VSAA-01");
  g_autofree char *body = kac_wire_encode_record (record);
  g_autofree char *extended = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;

  /* A newer client's extra members are ignored and do not change the record's identity. */
  extended = g_strdup_printf ("{\"records\":[%.*s,\"from_the_future\":{\"x\":[1,2]}}],\"batch_note\":1}",
                              (int) strlen (body) - 1, body);
  first = post_batch (f, f->clerk_token, extended);
  g_assert_cmpint (result_at (first, 0)->status, ==, KAC_WIRE_ITEM_ACCEPTED);
  g_assert_false (result_at (first, 0)->replay);

  plain = g_strdup_printf ("{\"records\":[%s]}", body);
  second = post_batch (f, f->clerk_token, plain);
  g_assert_cmpint (result_at (second, 0)->status, ==, KAC_WIRE_ITEM_ACCEPTED);
  g_assert_true (result_at (second, 0)->replay);
}

static void
test_records_malformed (Fixture       *f,
                        gconstpointer  data)
{
  const struct { const char *body; const char *code; } cases[] = {
    { "{\"records\": [", "invalid-request" },
    { "not json at all", "invalid-request" },
    { "[]", "invalid-request" },
    { "{\"records\": {}}", "invalid-request" },
    { "{\"records\": [42]}", "invalid-request" },
    { "{\"records\": [{\"uuid\": 7}]}", "invalid-request" },
    { "{}", "invalid-request" },
    { "", "invalid-request" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KacWireProblem) problem = NULL;

      g_test_message ("case %u", i);
      problem = expect_problem (f, "POST", "/api/v1/records", f->clerk_token, cases[i].body, 400, cases[i].code);
      g_assert_false (problem->retryable);
      g_assert_nonnull (problem->detail);
    }

  /* A body that is not JSON by its type. */
  g_assert_cmpuint (send_full (f->session, f->base, "POST", "/api/v1/records", f->clerk_token, "text/plain",
                               "{\"records\":[]}", -1, NULL, &response, NULL, &error), ==, 415);
  g_assert_no_error (error);

  /* Unknown paths and methods are problems too. */
  {
    g_autoptr(KacWireProblem) not_found = expect_problem (f, "GET", "/api/v2/records", f->clerk_token, NULL, 404, "not-found");
    g_autoptr(KacWireProblem) bad_method = expect_problem (f, "GET", "/api/v1/records", f->clerk_token, NULL, 405, "method-not-allowed");
  }
}

static void
test_records_limits (Fixture       *f,
                     gconstpointer  data)
{
  GString *many = g_string_new ("{\"records\":[");
  g_autofree char *many_text = NULL;
  g_autofree char *huge = NULL;
  g_autoptr(KacWireProblem) too_many = NULL;
  g_autoptr(KacWireProblem) too_big = NULL;
  g_autoptr(KacRecord) record = make_application ("riga-1", "VSAA-01");
  g_autofree char *body = kac_wire_encode_record (record);
  gsize huge_length = KAC_WIRE_BODY_MAX_BYTES + 1024;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i <= KAC_WIRE_BATCH_MAX_RECORDS; i++)
    {
      g_autoptr(KacRecord) r = make_application ("riga-1", "VSAA-01");
      g_autofree char *b = kac_wire_encode_record (r);

      g_string_append_printf (many, "%s%s", i > 0 ? "," : "", b);
    }
  g_string_append (many, "]}");
  many_text = g_string_free (many, FALSE);
  g_assert_cmpuint (strlen (many_text), <, KAC_WIRE_BODY_MAX_BYTES);
  too_many = expect_problem (f, "POST", "/api/v1/records", f->clerk_token, many_text, 413, "too-large");
  g_assert_false (too_many->retryable);

  /* Over 4 MiB: refused from the Content-Length, before the body is read. */
  huge = g_malloc (huge_length + 1);
  memset (huge, ' ', huge_length);
  huge[huge_length] = '\0';
  too_big = expect_problem (f, "POST", "/api/v1/records", f->clerk_token, huge, 413, "too-large");

  g_assert_cmpint (kac_central_store_get_n_records (f->store), ==, 0);

  /* The server still works afterwards. */
  {
    g_autofree char *one = g_strdup_printf ("{\"records\":[%s]}", body);
    g_autoptr(GPtrArray) results = post_batch (f, f->clerk_token, one);

    g_assert_cmpint (result_at (results, 0)->status, ==, KAC_WIRE_ITEM_ACCEPTED);
  }
}

static void
test_records_roles (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = sign_in (f, "vsaa", "vsaa-password");
  g_autoptr(KacWireProblem) post = expect_problem (f, "POST", "/api/v1/records", token, "{\"records\":[]}",
                                                   403, "forbidden-role");
  g_autoptr(KacWireProblem) changes = expect_problem (f, "GET", "/api/v1/records/changes", token, NULL,
                                                      403, "forbidden-role");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(KacRecord) record = make_application ("riga-1", "VSAA-01");
  KacRecord *records[] = { record };
  g_autofree char *body = batch_of (records, 1);
  g_autofree char *cesis = sign_in (f, "cilda", "cilda-password");

  /* A clerk of another centre cannot file a record for riga-1. */
  results = post_batch (f, cesis, body);
  g_assert_cmpint (result_at (results, 0)->status, ==, KAC_WIRE_ITEM_REJECTED);
  g_assert_cmpstr (result_at (results, 0)->code, ==, "wrong-centre");
}

static void
test_unknown_ca (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SoupSession) stranger = new_session (KAC_TEST_PKI_OTHER_CA);
  g_autoptr(GError) error = NULL;
  guint status;

  status = send_full (stranger, f->base, "GET", "/healthz", NULL, NULL, NULL, 0, NULL, NULL, NULL, &error);
  g_assert_cmpuint (status, ==, 0);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  soup_session_abort (stranger);
}

static void
test_catalog (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) again = NULL;
  g_autoptr(SoupMessage) changed = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autoptr(GBytes) full = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCatalog) catalog = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *list = NULL;

  g_assert_cmpuint (send_full (f->session, f->base, "GET", "/api/v1/catalog", f->clerk_token, NULL, NULL, 0,
                               NULL, &response, &msg, &error), ==, 200);
  etag = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag"));
  g_assert_nonnull (etag);
  g_assert_true (etag[0] == '"');
  catalog = kac_wire_decode_catalog (response, &error);
  g_assert_no_error (error);
  dump_response ("Catalog", response);
  g_assert_nonnull (kac_catalog_lookup (catalog, "VSAA-01"));

  g_assert_cmpuint (send_full (f->session, f->base, "GET", "/api/v1/catalog", f->clerk_token, NULL, NULL, 0,
                               etag, &empty, &again, &error), ==, 304);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);

  list = g_strdup_printf ("\"something-old\", W/%s", etag);
  g_clear_object (&again);
  g_clear_pointer (&empty, g_bytes_unref);
  g_assert_cmpuint (send_full (f->session, f->base, "GET", "/api/v1/catalog", f->clerk_token, NULL, NULL, 0,
                               list, &empty, &again, &error), ==, 304);

  g_assert_cmpuint (send_full (f->session, f->base, "GET", "/api/v1/catalog", f->clerk_token, NULL, NULL, 0,
                               "\"something-old\"", &full, &changed, &error), ==, 200);
  g_assert_true (g_bytes_equal (full, response));

  /* The catalogue needs a sign-in like the rest of the API. */
  {
    g_autoptr(KacWireProblem) problem = expect_problem (f, "GET", "/api/v1/catalog", NULL, NULL, 401, "unauthenticated");
  }
}

static KacWireChangesPage *
get_changes (Fixture    *f,
             const char *token,
             const char *query)
{
  g_autofree char *path = g_strconcat ("/api/v1/records/changes", query, NULL);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  KacWireChangesPage *page;

  g_assert_cmpuint (send_json (f, "GET", path, token, NULL, &response), ==, 200);
  page = kac_wire_decode_changes_page (g_bytes_get_data (response, NULL), g_bytes_get_size (response), &error);
  g_assert_no_error (error);
  dump_response ("ChangesPage", response);
  return page;
}

static int
count_audit_rows (Fixture    *f,
                  const char *uuid,
                  const char *to_status,
                  const char *actor)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int count = -1;

  /* A read-only look at the file, as an auditor would take it. */
  g_assert_cmpint (sqlite3_open_v2 (f->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM status_audit WHERE record_uuid = ?1 "
                                           "AND to_status = ?2 AND actor = ?3 AND changed_at IS NOT NULL",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, to_status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, actor, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count;
}

static void
test_status_and_changes (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KacRecord) application = make_application ("riga-1", "VSAA-01");
  g_autoptr(KacRecord) complaint = kac_record_new (KAC_RECORD_KIND_COMPLAINT);
  g_autoptr(KacRecord) elsewhere = make_application ("cesis", "VSAA-01");
  g_autofree char *cesis_token = sign_in (f, "cilda", "cilda-password");
  g_autofree char *vsaa = sign_in (f, "vsaa", "vsaa-password");
  g_autofree char *vid = sign_in (f, "vid", "vid-password");
  g_autofree char *status_path = NULL;
  g_autofree char *query = NULL;
  g_autoptr(KacWireChangesPage) page = NULL;
  g_autoptr(KacWireChangesPage) next = NULL;
  g_autoptr(KacWireChangesPage) after = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) cesis_results = NULL;
  KacRecord *records[2];
  g_autofree char *body = NULL;
  g_autofree char *cesis_body = NULL;
  KacWireChange *change;

  kac_record_set_centre_id (complaint, "riga-1");
  records[0] = application;
  records[1] = complaint;
  body = batch_of (records, 2);
  results = post_batch (f, f->clerk_token, body);
  records[0] = elsewhere;
  cesis_body = batch_of (records, 1);
  cesis_results = post_batch (f, cesis_token, cesis_body);
  g_assert_cmpint (result_at (cesis_results, 0)->status, ==, KAC_WIRE_ITEM_ACCEPTED);

  /* From the start: this centre's two records, registered; the complaint has a due date. */
  page = get_changes (f, f->clerk_token, "");
  g_assert_cmpuint (page->changes->len, ==, 2);
  g_assert_false (page->more);
  change = g_ptr_array_index (page->changes, 0);
  g_assert_cmpstr (change->uuid, ==, kac_record_get_uuid (application));
  g_assert_cmpstr (change->central_number, ==, result_at (results, 0)->central_number);
  g_assert_cmpint (change->status, ==, KAC_APPLICATION_STATUS_REGISTERED);
  g_assert_null (change->due_date);
  change = g_ptr_array_index (page->changes, 1);
  g_assert_cmpstr (change->uuid, ==, kac_record_get_uuid (complaint));
  g_assert_true (kac_wire_date_is_valid (change->due_date));

  /* Nothing new since the cursor. */
  query = g_strdup_printf ("?since=%s", page->cursor);
  next = get_changes (f, f->clerk_token, query);
  g_assert_cmpuint (next->changes->len, ==, 0);

  /* VSAA forwards its application with a due date; VID may not touch it; no skipping. */
  status_path = g_strdup_printf ("/api/v1/records/%s/status", kac_record_get_uuid (application));
  {
    g_autoptr(KacWireProblem) clerk = expect_problem (f, "POST", status_path, f->clerk_token,
                                                      "{\"status\":\"forwarded\"}", 403, "forbidden-role");
    g_autoptr(KacWireProblem) other = expect_problem (f, "POST", status_path, vid,
                                                      "{\"status\":\"forwarded\"}", 403, "other-institution");
    g_autoptr(KacWireProblem) skip = expect_problem (f, "POST", status_path, vsaa,
                                                     "{\"status\":\"completed\"}", 409, "invalid-transition");
    g_autoptr(KacWireProblem) none = expect_problem (f, "POST", "/api/v1/records/KAC-1999-000001/status", vsaa,
                                                     "{\"status\":\"forwarded\"}", 404, "record-not-found");
    g_autoptr(KacWireProblem) bad = expect_problem (f, "POST", status_path, vsaa,
                                                    "{\"status\":\"forwarded\",\"due_date\":\"2026-02-30\"}",
                                                    400, "invalid-request");
  }
  g_assert_cmpuint (send_json (f, "POST", status_path, vsaa,
                               "{\"status\":\"forwarded\",\"due_date\":\"2026-12-31\",\"note\":\"Sent on\"}",
                               NULL), ==, 204);
  g_assert_cmpint (count_audit_rows (f, kac_record_get_uuid (application), "registered", "anna"), ==, 1);
  g_assert_cmpint (count_audit_rows (f, kac_record_get_uuid (application), "forwarded", "vsaa"), ==, 1);

  after = get_changes (f, f->clerk_token, query);
  g_assert_cmpuint (after->changes->len, ==, 1);
  change = g_ptr_array_index (after->changes, 0);
  g_assert_cmpstr (change->uuid, ==, kac_record_get_uuid (application));
  g_assert_cmpint (change->status, ==, KAC_APPLICATION_STATUS_FORWARDED);
  g_assert_cmpstr (change->due_date, ==, "2026-12-31");

  /* The command line's path: the store moves it on, as the operator. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(KacWireChangesPage) last = NULL;
    g_autofree char *after_query = g_strdup_printf ("?since=%s", after->cursor);

    g_assert_true (kac_central_store_set_status (f->store, result_at (results, 0)->central_number,
                                                 KAC_APPLICATION_STATUS_COMPLETED, NULL, NULL, NULL,
                                                 "operator", now, &error));
    g_assert_no_error (error);
    last = get_changes (f, f->clerk_token, after_query);
    g_assert_cmpuint (last->changes->len, ==, 1);
    change = g_ptr_array_index (last->changes, 0);
    g_assert_cmpint (change->status, ==, KAC_APPLICATION_STATUS_COMPLETED);
    g_assert_cmpstr (change->due_date, ==, "2026-12-31");
    g_assert_cmpint (count_audit_rows (f, kac_record_get_uuid (application), "completed", "operator"), ==, 1);
  }
}

static void
test_changes_paging_and_epoch (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(KacWireChangesPage) first = NULL;
  g_autoptr(KacWireChangesPage) rest = NULL;
  g_autofree char *body = NULL;
  g_autofree char *query = NULL;
  g_autofree char *foreign = NULL;
  g_autofree char *future = NULL;
  g_autoptr(GError) error = NULL;
  KacRecord *records[3];

  for (guint i = 0; i < 3; i++)
    records[i] = make_application ("riga-1", "VSAA-01");
  body = batch_of (records, 3);
  results = post_batch (f, f->clerk_token, body);
  for (guint i = 0; i < 3; i++)
    g_object_unref (records[i]);

  first = get_changes (f, f->clerk_token, "?limit=2");
  g_assert_cmpuint (first->changes->len, ==, 2);
  g_assert_true (first->more);
  query = g_strdup_printf ("?limit=2&since=%s", first->cursor);
  rest = get_changes (f, f->clerk_token, query);
  g_assert_cmpuint (rest->changes->len, ==, 1);
  g_assert_false (rest->more);
  g_assert_cmpstr (((KacWireChange *) g_ptr_array_index (rest->changes, 0))->central_number, ==,
                   result_at (results, 2)->central_number);

  {
    g_autoptr(KacWireProblem) malformed = expect_problem (f, "GET", "/api/v1/records/changes?since=nonsense",
                                                          f->clerk_token, NULL, 400, "invalid-cursor");
    g_autoptr(KacWireProblem) limit = expect_problem (f, "GET", "/api/v1/records/changes?limit=0",
                                                      f->clerk_token, NULL, 400, "invalid-limit");
  }

  /* A cursor of another epoch, or one the server never reached: 410, start again. */
  foreign = g_strdup_printf ("/api/v1/records/changes?since=0123456789abcdef.%s", strchr (rest->cursor, '.') + 1);
  {
    g_autoptr(KacWireProblem) gone = expect_problem (f, "GET", foreign, f->clerk_token, NULL, 410, "cursor-expired");

    g_assert_false (gone->retryable);
  }
  future = g_strdup_printf ("/api/v1/records/changes?since=%s.999999", kac_central_store_get_epoch (f->store));
  {
    g_autoptr(KacWireProblem) gone = expect_problem (f, "GET", future, f->clerk_token, NULL, 410, "cursor-expired");
  }

  /* A restore from backup starts a new epoch: the old cursor is refused. */
  g_assert_true (kac_central_store_new_epoch (f->store, &error));
  g_assert_no_error (error);
  {
    g_autofree char *old = g_strdup_printf ("/api/v1/records/changes?since=%s", rest->cursor);
    g_autoptr(KacWireProblem) gone = expect_problem (f, "GET", old, f->clerk_token, NULL, 410, "cursor-expired");
    g_autoptr(KacWireChangesPage) fresh = get_changes (f, f->clerk_token, "");

    g_assert_cmpuint (fresh->changes->len, ==, 3);
    g_assert_true (g_str_has_prefix (fresh->cursor, kac_central_store_get_epoch (f->store)));
  }
}

static void
test_health_and_metrics (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) health = NULL;
  g_autoptr(GBytes) metrics = NULL;
  g_autoptr(GBytes) openapi = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(KacRecord) record = make_application ("riga-1", "VSAA-01");
  KacRecord *records[] = { record };
  g_autofree char *body = batch_of (records, 1);
  g_autofree char *text = NULL;
  g_autofree char *health_text = NULL;

  results = post_batch (f, f->clerk_token, body);
  g_clear_pointer (&results, g_ptr_array_unref);
  results = post_batch (f, f->clerk_token, body);
  {
    g_autoptr(KacWireProblem) problem = expect_problem (f, "GET", "/api/v1/records/changes", NULL, NULL, 401, "unauthenticated");
  }

  g_assert_cmpuint (send_json (f, "GET", "/healthz", NULL, NULL, &health), ==, 200);
  dump_response ("Health", health);
  health_text = g_strndup (g_bytes_get_data (health, NULL), g_bytes_get_size (health));
  g_assert_nonnull (strstr (health_text, "\"status\":\"ok\""));
  g_assert_nonnull (strstr (health_text, "\"records\":1"));

  g_assert_cmpuint (send_json (f, "GET", "/metrics", NULL, NULL, &metrics), ==, 200);
  text = g_strndup (g_bytes_get_data (metrics, NULL), g_bytes_get_size (metrics));
  g_assert_nonnull (strstr (text, "kac_central_records_stored 1\n"));
  g_assert_nonnull (strstr (text, "kac_central_requests_total{route=\"/api/v1/records\",status=\"200\"} 2\n"));
  g_assert_nonnull (strstr (text, "kac_central_requests_total{route=\"/api/v1/session\",status=\"200\"} 1\n"));
  g_assert_nonnull (strstr (text, "kac_central_errors_total{route=\"/api/v1/records/changes\",class=\"client\"} 1\n"));
  g_assert_nonnull (strstr (text, "kac_central_request_duration_seconds_bucket{route=\"/api/v1/records\",le=\"+Inf\"} 2\n"));
  g_assert_nonnull (strstr (text, "kac_central_request_duration_seconds_count{route=\"/api/v1/records\"} 2\n"));
  g_assert_nonnull (strstr (text, "kac_central_batch_items_total{outcome=\"accepted\"} 1\n"));
  g_assert_nonnull (strstr (text, "kac_central_batch_items_total{outcome=\"replay\"} 1\n"));
  /* No client data in the metrics. */
  g_assert_null (strstr (text, kac_record_get_uuid (record)));

  g_assert_cmpuint (send_json (f, "GET", "/api/v1/openapi.yaml", NULL, NULL, &openapi), ==, 200);
  g_assert_true (g_bytes_get_size (openapi) > 1000);
  g_assert_true (memcmp (g_bytes_get_data (openapi, NULL), "openapi: 3.1", 12) == 0);
}

static void
test_plain_http_only_loopback (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kac-central-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "central.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *lock = g_strconcat (path, ".lock", NULL);
  g_autoptr(KacCentralStore) store = kac_central_store_open (path, &error);
  g_autoptr(KacCentralStore) second = NULL;
  g_autoptr(KacCentralServer) server = kac_central_server_new (store, NULL, &error);

  g_assert_no_error (error);
  g_assert_false (kac_central_server_listen (server, NULL, "0.0.0.0", 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* One writing process per database. */
  second = kac_central_store_open (path, &error);
  g_assert_null (second);
  g_assert_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  /* A catalogue that is not one is refused at start-up. */
  {
    g_autoptr(GBytes) junk = g_bytes_new_static ("{\"sample\":1}", 12);
    g_autoptr(KacCentralServer) broken = kac_central_server_new (store, junk, &error);

    g_assert_null (broken);
    g_assert_nonnull (error);
  }

  g_clear_object (&server);
  g_clear_object (&store);
  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_remove (lock);
  g_rmdir (dir);
}

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KacRecord) record = make_application ("riga-1", "VSAA-01");
  KacRecord *records[] = { record };
  g_autofree char *body = batch_of (records, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) garbage = NULL;
  g_autoptr(KacCentralStoredRecord) stored = NULL;
  gint64 start;

  /* 500: retryable, nothing stored. */
  kac_central_server_inject_fault (f->server, KAC_CENTRAL_FAULT_SERVER_ERROR, 1, 0);
  {
    g_autoptr(KacWireProblem) problem = expect_problem (f, "POST", "/api/v1/records", f->clerk_token, body,
                                                        500, "injected-fault");

    g_assert_true (problem->retryable);
  }
  g_assert_cmpint (kac_central_store_get_n_records (f->store), ==, 0);

  /* 200 with garbage: the decoder refuses it. */
  kac_central_server_inject_fault (f->server, KAC_CENTRAL_FAULT_GARBAGE, 1, 0);
  g_assert_cmpuint (send_json (f, "POST", "/api/v1/records", f->clerk_token, body, &response), ==, 200);
  garbage = kac_wire_decode_batch_response (g_bytes_get_data (response, NULL), g_bytes_get_size (response), &error);
  g_assert_null (garbage);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX);
  g_clear_error (&error);
  g_assert_cmpint (kac_central_store_get_n_records (f->store), ==, 0);

  /* Dropped before anything was done. */
  kac_central_server_inject_fault (f->server, KAC_CENTRAL_FAULT_DROP, 1, 0);
  g_assert_cmpuint (send_full (f->session, f->base, "POST", "/api/v1/records", f->clerk_token, "application/json",
                               body, -1, NULL, NULL, NULL, &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (kac_central_store_get_n_records (f->store), ==, 0);

  /* Committed, then dropped: the resend gets the first answer, the record is there once. */
  kac_central_server_inject_fault (f->server, KAC_CENTRAL_FAULT_DROP_AFTER_COMMIT, 1, 0);
  g_assert_cmpuint (send_full (f->session, f->base, "POST", "/api/v1/records", f->clerk_token, "application/json",
                               body, -1, NULL, NULL, NULL, &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (kac_central_store_get_n_records (f->store), ==, 1);
  stored = kac_central_store_find_record (f->store, kac_record_get_uuid (record), &error);
  g_assert_nonnull (stored);

  /* Slow, but answered; and the fault count is spent after it. */
  kac_central_server_inject_fault (f->server, KAC_CENTRAL_FAULT_DELAY, 1, 300);
  start = g_get_monotonic_time ();
  results = post_batch (f, f->clerk_token, body);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  g_assert_cmpint (result_at (results, 0)->status, ==, KAC_WIRE_ITEM_ACCEPTED);
  g_assert_true (result_at (results, 0)->replay);
  g_assert_cmpstr (result_at (results, 0)->central_number, ==, stored->central_number);

  g_clear_pointer (&results, g_ptr_array_unref);
  results = post_batch (f, f->clerk_token, body);
  g_assert_true (result_at (results, 0)->replay);
  g_assert_cmpint (kac_central_store_get_n_records (f->store), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *openssl = NULL;
  int status;

  g_setenv ("KAC_CENTRAL_PWHASH_COST", "min", TRUE);
  g_test_init (&argc, &argv, NULL);

  openssl = g_find_program_in_path ("openssl");
  if (openssl == NULL)
    {
      g_test_skip ("openssl is needed to make the test certificates");
      return 77;
    }

  g_assert_true (kac_central_auth_init (&error));
  pki_dir = kac_test_make_tmp_dir ("kac-central-pki-XXXXXX");
  kac_test_make_pki (pki_dir);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/central/sign-in", test_sign_in);
  ADD ("/central/tokens", test_tokens);
  ADD ("/central/records/mixed", test_records_mixed);
  ADD ("/central/records/replay-and-conflict", test_records_replay_and_conflict);
  ADD ("/central/records/unknown-fields", test_records_unknown_fields);
  ADD ("/central/records/malformed", test_records_malformed);
  ADD ("/central/records/limits", test_records_limits);
  ADD ("/central/records/roles", test_records_roles);
  ADD ("/central/tls/unknown-ca", test_unknown_ca);
  ADD ("/central/catalog", test_catalog);
  ADD ("/central/status-and-changes", test_status_and_changes);
  ADD ("/central/changes/paging-and-epoch", test_changes_paging_and_epoch);
  ADD ("/central/health-and-metrics", test_health_and_metrics);
  ADD ("/central/faults", test_faults);
#undef ADD
  g_test_add_func ("/central/plain-http-only-loopback", test_plain_http_only_loopback);

  status = g_test_run ();

  kac_test_remove_tree (pki_dir);
  g_free (pki_dir);
  return status;
}
