/* test-central-audit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kac-central's audit log: what a real session over HTTPS leaves in it (sign-ins, failed
 * sign-ins with the name tried and the address, a registration, a status change, a sign-out),
 * paging through GET /api/v1/audit, that no personal data gets in, that the database itself
 * refuses UPDATE and DELETE of an entry, the upgrade of a version 3 database (its status trail
 * copied in), and `kac-central audit list`.
 */
#define G_LOG_DOMAIN "test-central-audit"

#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "kac-central-auth.h"
#include "kac-central-store-audit.h"
#include "kac-test-central.h"
#include "kac-wire.h"

/* Helpers */

static SoupSession *
new_session (KacTestCentral *central)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (central->ca_file, &error);

  g_assert_no_error (error);
  return soup_session_new_with_options ("tls-database", database, "timeout", 10, NULL);
}

/* With KAC_CENTRAL_RESPONSES_DIR set, answers are written there as "<Schema>-<n>.json" for
 * tests/test-central-openapi.sh. */
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
send (KacTestCentral *central,
      SoupSession    *session,
      const char     *method,
      const char     *path,
      const char     *token,
      GBytes         *body,
      GBytes        **answer)
{
  g_autofree char *url = g_strconcat (central->uri, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) read = NULL;
  guint status;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);

  read = kac_test_send_and_read (session, msg, &error);
  g_assert_no_error (error);
  status = soup_message_get_status (msg);
  if (g_str_has_prefix (path, "api/v1/audit"))
    dump_response (status == 200 ? "AuditPage" : "Problem", read);
  if (answer != NULL)
    *answer = g_steal_pointer (&read);

  return status;
}

static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const char *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  return JSON_NODE_HOLDS_NULL (node) ? NULL : json_node_get_string (node);
}

static void
assert_entry (JsonArray  *entries,
              guint       index,
              const char *event,
              const char *username,
              const char *source,
              const char *record_uuid,
              const char *centre,
              const char *institution,
              const char *detail)
{
  JsonObject *entry = json_array_get_object_element (entries, index);
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (member (entry, "at"), NULL);

  g_assert_nonnull (at);
  g_assert_cmpstr (member (entry, "event"), ==, event);
  g_assert_cmpstr (member (entry, "username"), ==, username);
  g_assert_cmpstr (member (entry, "source"), ==, source);
  g_assert_cmpstr (member (entry, "record_uuid"), ==, record_uuid);
  g_assert_cmpstr (member (entry, "centre_id"), ==, centre);
  g_assert_cmpstr (member (entry, "institution"), ==, institution);
  g_assert_cmpstr (member (entry, "detail"), ==, detail);
}

/* Without the hyphen too: a code may travel in either form. */
static void
assert_no_personal_data (GBytes *bytes)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  g_assert_null (strstr (text, KAC_TEST_CLIENT_CODE));
  g_assert_null (strstr (text, "16117519997"));
  g_assert_null (strstr (text, KAC_TEST_CLIENT_NAME));
  g_assert_null (strstr (text, "Bērziņš"));
  g_assert_null (strstr (text, KAC_TEST_PASSWORD));
  g_assert_null (strstr (text, "wrong-password"));
}

/* A store of its own with one registration and one status change, closed again. Returns the
 * record's UUID. */
static char *
make_store_with_history (const char *path)
{
  g_autoptr(KacCentralStore) store = NULL;
  g_autoptr(KacRecord) record = kac_test_make_application (KAC_TEST_CLERK, KAC_TEST_CENTRE);
  g_autoptr(KacCentralUser) clerk = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *body = kac_wire_encode_record (record);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, body, -1);
  g_autofree char *number = NULL;

  store = kac_central_store_open (path, &error);
  g_assert_no_error (error);
  kac_central_store_add_centre (store, KAC_TEST_CENTRE, "Rīgas VPVKAC", KAC_CENTRE_KIND_NATIONAL, &error);
  g_assert_no_error (error);
  kac_test_central_add_user (store, KAC_TEST_CLERK, KAC_TEST_PASSWORD, KAC_CENTRAL_ROLE_CLERK,
                             KAC_TEST_CENTRE, NULL);
  clerk = kac_central_store_lookup_user (store, KAC_TEST_CLERK, &error);
  g_assert_no_error (error);

  g_assert_true (kac_central_store_begin (store, &error));
  number = kac_central_store_insert_record (store, record, body, hash, "VSAA", clerk, now, &error);
  g_assert_no_error (error);
  g_assert_true (kac_central_store_commit (store, &error));
  g_assert_true (kac_central_store_set_status (store, number, KAC_APPLICATION_STATUS_FORWARDED, NULL,
                                               "Pārsūtīts", NULL, "operator", now, &error));
  g_assert_no_error (error);
  g_assert_true (kac_central_store_audit (store, KAC_CENTRAL_AUDIT_SIGN_IN, clerk, NULL, "192.0.2.7",
                                          now, &error));
  g_assert_no_error (error);

  return g_strdup (kac_record_get_uuid (record));
}

/* Runs @sql on @path and returns SQLite's result code, with its message in @message. */
static int
try_sql (const char  *path,
         const char  *sql,
         char       **message)
{
  sqlite3 *db = NULL;
  char *error = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, &error);
  *message = g_strdup (error);
  sqlite3_free (error);
  sqlite3_close (db);
  return rc;
}

/* Tests */

static void
test_audit_over_http (void)
{
  g_autoptr(KacTestCentral) central = kac_test_central_new ();
  g_autoptr(SoupSession) session = new_session (central);
  g_autoptr(KacRecord) record = kac_test_make_application (KAC_TEST_CLERK, KAC_TEST_CENTRE);
  g_autofree char *record_body = kac_wire_encode_record (record);
  const char *bodies[] = { record_body };
  g_autoptr(GBytes) batch = kac_wire_encode_batch_request (bodies, 1);
  g_autoptr(GBytes) good = kac_wire_encode_sign_in (KAC_TEST_CLERK, KAC_TEST_PASSWORD);
  g_autoptr(GBytes) bad = kac_wire_encode_sign_in (KAC_TEST_CLERK, "wrong-password");
  g_autoptr(GBytes) ghost = kac_wire_encode_sign_in ("ghost", "wrong-password");
  g_autoptr(GBytes) forward = kac_wire_encode_status_change (KAC_APPLICATION_STATUS_FORWARDED, NULL,
                                                             "Klients zvanīja");
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) page1 = NULL;
  g_autoptr(GBytes) page2 = NULL;
  g_autoptr(GBytes) by_time = NULL;
  g_autoptr(JsonObject) session_doc = NULL;
  g_autoptr(JsonObject) all = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) rest = NULL;
  g_autoptr(JsonObject) timed = NULL;
  g_autofree char *token = NULL;
  g_autofree char *vsaa = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;
  JsonArray *entries;
  const char *uuid = kac_record_get_uuid (record);

  kac_test_central_add_user (central->store, "admin", "admin-password", KAC_CENTRAL_ROLE_ADMIN, NULL, NULL);

  g_assert_cmpuint (send (central, session, "POST", "api/v1/session", NULL, good, &answer), ==, 200);
  session_doc = parse_object (answer);
  token = g_strdup (member (session_doc, "token"));
  g_clear_pointer (&answer, g_bytes_unref);
  g_assert_cmpuint (send (central, session, "POST", "api/v1/session", NULL, bad, NULL), ==, 401);
  g_assert_cmpuint (send (central, session, "POST", "api/v1/session", NULL, ghost, NULL), ==, 401);
  g_assert_cmpuint (send (central, session, "POST", "api/v1/records", token, batch, NULL), ==, 200);

  vsaa = kac_test_central_issue_token (central, KAC_TEST_INSTITUTION, G_TIME_SPAN_HOUR);
  path = g_strdup_printf ("api/v1/records/%s/status", uuid);
  g_assert_cmpuint (send (central, session, "POST", path, vsaa, forward, NULL), ==, 204);
  g_assert_cmpuint (send (central, session, "DELETE", "api/v1/session", token, NULL, NULL), ==, 204);

  /* Only admins read it. */
  g_assert_cmpuint (send (central, session, "GET", "api/v1/audit", vsaa, NULL, NULL), ==, 403);
  g_assert_cmpuint (send (central, session, "GET", "api/v1/audit", NULL, NULL, NULL), ==, 401);

  admin = kac_test_central_issue_token (central, "admin", G_TIME_SPAN_HOUR);
  g_assert_cmpuint (send (central, session, "GET", "api/v1/audit", admin, NULL, &answer), ==, 200);
  assert_no_personal_data (answer);
  all = parse_object (answer);
  entries = json_object_get_array_member (all, "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, 6);
  g_assert_false (json_object_get_boolean_member (all, "more"));
  assert_entry (entries, 0, "sign-in", KAC_TEST_CLERK, "127.0.0.1", NULL, KAC_TEST_CENTRE, NULL, NULL);
  assert_entry (entries, 1, "sign-in-failed", KAC_TEST_CLERK, "127.0.0.1", NULL, NULL, NULL, NULL);
  assert_entry (entries, 2, "sign-in-failed", "ghost", "127.0.0.1", NULL, NULL, NULL, NULL);
  assert_entry (entries, 3, "registration", KAC_TEST_CLERK, NULL, uuid, KAC_TEST_CENTRE, "VSAA", "registered");
  assert_entry (entries, 4, "status-change", KAC_TEST_INSTITUTION, NULL, uuid, KAC_TEST_CENTRE, "VSAA",
                "registered → forwarded");
  assert_entry (entries, 5, "sign-out", KAC_TEST_CLERK, "127.0.0.1", NULL, KAC_TEST_CENTRE, NULL, NULL);

  /* Pages: two, then the rest from "next". */
  g_assert_cmpuint (send (central, session, "GET", "api/v1/audit?limit=2", admin, NULL, &page1), ==, 200);
  first = parse_object (page1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "entries")), ==, 2);
  g_assert_true (json_object_get_boolean_member (first, "more"));
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("api/v1/audit?since=%s", member (first, "next"));
  g_assert_cmpuint (send (central, session, "GET", path, admin, NULL, &page2), ==, 200);
  rest = parse_object (page2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (rest, "entries")), ==, 4);
  g_assert_false (json_object_get_boolean_member (rest, "more"));
  assert_entry (json_object_get_array_member (rest, "entries"), 0, "sign-in-failed", "ghost",
                "127.0.0.1", NULL, NULL, NULL, NULL);

  /* By time: from the registration's instant on. */
  escaped = g_uri_escape_string (member (json_array_get_object_element (entries, 3), "at"), NULL, FALSE);
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("api/v1/audit?since=%s", escaped);
  g_assert_cmpuint (send (central, session, "GET", path, admin, NULL, &by_time), ==, 200);
  timed = parse_object (by_time);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (timed, "entries")), >=, 3);
  assert_entry (json_object_get_array_member (timed, "entries"),
                json_array_get_length (json_object_get_array_member (timed, "entries")) - 1,
                "sign-out", KAC_TEST_CLERK, "127.0.0.1", NULL, KAC_TEST_CENTRE, NULL, NULL);

  g_assert_cmpuint (send (central, session, "GET", "api/v1/audit?since=yesterday", admin, NULL, NULL), ==, 400);
  g_assert_cmpuint (send (central, session, "GET", "api/v1/audit?limit=0", admin, NULL, NULL), ==, 400);
  g_assert_cmpuint (send (central, session, "GET", "api/v1/audit?limit=1001", admin, NULL, NULL), ==, 400);
  g_assert_cmpuint (send (central, session, "POST", "api/v1/audit", admin, NULL, NULL), ==, 405);
}

static void
test_append_only (void)
{
  g_autofree char *dir = kac_test_make_tmp_dir ("kac-audit-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "central.db", NULL);
  g_autofree char *uuid = make_store_with_history (path);
  g_autofree char *message = NULL;
  int rc;

  g_assert_cmpint (kac_test_query_int (path, "SELECT count(*) FROM audit_log"), ==, 3);

  rc = try_sql (path, "UPDATE audit_log SET username = 'someone else' WHERE event = 'registration'", &message);
  g_assert_cmpint (rc, ==, SQLITE_CONSTRAINT);
  g_assert_cmpstr (message, ==, "audit_log is append-only");
  g_clear_pointer (&message, g_free);

  rc = try_sql (path, "DELETE FROM audit_log", &message);
  g_assert_cmpint (rc, ==, SQLITE_CONSTRAINT);
  g_assert_cmpstr (message, ==, "audit_log is append-only");
  g_clear_pointer (&message, g_free);

  /* Also as part of a bigger transaction: nothing of it is kept. */
  rc = try_sql (path, "BEGIN; INSERT INTO audit_log (at, event) VALUES ('2030-01-01T00:00:00Z', 'sign-in');"
                      "DELETE FROM audit_log WHERE id = 1; COMMIT;", &message);
  g_assert_cmpint (rc, ==, SQLITE_CONSTRAINT);
  g_clear_pointer (&message, g_free);
  try_sql (path, "ROLLBACK", &message);
  g_clear_pointer (&message, g_free);

  g_assert_cmpint (kac_test_query_int (path, "SELECT count(*) FROM audit_log"), ==, 3);
  g_assert_cmpint (kac_test_query_int (path, "SELECT count(*) FROM audit_log WHERE username = 'someone else'"), ==, 0);

  /* Appending is what it is for. */
  g_assert_cmpint (try_sql (path, "INSERT INTO audit_log (at, event, username) "
                                  "VALUES ('2030-01-01T00:00:00Z', 'sign-out', 'x')", &message), ==, SQLITE_OK);
  g_assert_cmpint (kac_test_query_int (path, "SELECT count(*) FROM audit_log"), ==, 4);

  kac_test_remove_tree (dir);
}

/* A version 3 file (the audit log's tables and triggers taken away again): the upgrade copies
 * the status trail in and the triggers guard the table from then on. */
static void
test_upgrade_from_3 (void)
{
  g_autofree char *dir = kac_test_make_tmp_dir ("kac-audit-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "central.db", NULL);
  g_autofree char *uuid = make_store_with_history (path);
  g_autoptr(KacCentralStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *message = NULL;

  kac_test_exec_sql_on_file (path,
                             "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                             "DROP TRIGGER status_audit_to_audit_log; DROP TABLE audit_log;"
                             "PRAGMA user_version = 3;");

  store = kac_central_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (kac_test_query_int (path, "PRAGMA user_version"), ==, 4);
  g_assert_cmpint (kac_test_query_int (path, "SELECT count(*) FROM audit_log"), ==, 2);
  detail = kac_test_query_text (path, "SELECT group_concat (event || ':' || username || ':' || centre_id "
                                      "|| ':' || institution || ':' || detail, '|') FROM audit_log");
  g_assert_cmpstr (detail, ==, "registration:anna:riga-1:VSAA:registered|"
                               "status-change:operator:riga-1:VSAA:registered → forwarded");
  g_assert_cmpint (try_sql (path, "DELETE FROM audit_log", &message), ==, SQLITE_CONSTRAINT);

  kac_test_remove_tree (dir);
}

static void
test_cli (void)
{
  g_autofree char *dir = kac_test_make_tmp_dir ("kac-audit-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "central.db", NULL);
  g_autofree char *uuid = make_store_with_history (path);
  const char *argv[] = { KAC_CENTRAL_PATH, "audit", "list", "--db", path, NULL, NULL, NULL, NULL, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) columns = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  lines = g_strsplit (g_strchomp (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  columns = g_strsplit (lines[0], "\t", -1);
  g_assert_cmpuint (g_strv_length (columns), ==, 9);
  g_assert_cmpstr (columns[2], ==, "registration");
  g_assert_cmpstr (columns[3], ==, KAC_TEST_CLERK);
  g_assert_cmpstr (columns[5], ==, KAC_TEST_CENTRE);
  g_assert_cmpstr (columns[7], ==, uuid);
  g_assert_nonnull (strstr (lines[1], "status-change\toperator"));
  g_assert_nonnull (strstr (lines[2], "sign-in\tanna\t192.0.2.7"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A page of one, with the hint to go on. */
  argv[5] = "--limit";
  argv[6] = "1";
  argv[7] = "--since";
  argv[8] = "1";
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_str_has_prefix (out, "2\t"));
  g_assert_nonnull (strstr (out, "status-change"));
  g_assert_nonnull (strstr (err, "--since 2"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  argv[8] = "last week";
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 2);

  kac_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("KAC_CENTRAL_PWHASH_COST", "min", TRUE);
  kac_central_auth_init (&error);
  g_assert_no_error (error);

  g_test_add_func ("/central-audit/over-http", test_audit_over_http);
  g_test_add_func ("/central-audit/append-only", test_append_only);
  g_test_add_func ("/central-audit/upgrade-from-3", test_upgrade_from_3);
  g_test_add_func ("/central-audit/cli", test_cli);

  return g_test_run ();
}
