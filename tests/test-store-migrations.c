/* test-store-migrations.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Schema migrations on PRAGMA user_version: a new file goes from 0 to the current version; a
 * version 1 file from the field (tests/fixtures/store-v1.sql) is upgraded with every row intact
 * and readable through the store; so is a version 2 file (tests/fixtures/store-v2.sql), whose
 * queued records get their outbox entries; so is a version 3 file (tests/fixtures/store-v3.sql),
 * which gains the empty materials and notices cache with everything else intact; so is a
 * version 4 file (tests/fixtures/store-v4.sql), which gains the daily figures, counted from its
 * registrations; so is a version 5 file (tests/fixtures/store-v5.sql), whose search index is
 * rebuilt with longer prefix indexes, every material under its rowid; a step that fails is
 * rolled back whole.
 */
#define G_LOG_DOMAIN "test-store-migrations"

#include "config.h"

#include "kac-store.h"
#include "kac-store-materials.h"
#include "kac-store-stats.h"
#include "kac-test-util.h"
#include "kac-wire.h"

#include <locale.h>
#include <string.h>

#include <sqlite3.h>

/* A fresh folder per test; the file is made by each test (from a fixture, or by the store). */
typedef KacTestFixture Fixture;

/* Helpers */

static void
load_fixture (const char *path,
              const char *name)
{
  g_autofree char *fixture_path = g_build_filename (TEST_FIXTURES_DIR, name, NULL);
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (fixture_path, &sql, NULL, &error);
  g_assert_no_error (error);
  kac_test_exec_sql_on_file (path, sql);
}

/* The schema objects of a file, as "type name: sql" lines with all white space removed, so that
 * the fixture's formatting does not matter but every word of it does. */
static char *
dup_schema (const char *path,
            const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT type, name, sql FROM sqlite_schema %s "
                                          "ORDER BY type, name", where);
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 2);

      g_string_append_printf (out, "%s %s: ", sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1));
      for (const char *p = text; p != NULL && *p != '\0'; p++)
        if (!g_ascii_isspace (*p))
          g_string_append_c (out, *p);
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_string_free (out, FALSE);
}

static GDateTime *
date_time_from_usec (gint64 usec)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_add (seconds, usec % G_USEC_PER_SEC);
}

/* Tests */

static void
test_new_file (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autofree char *schema = NULL;

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_store_get_schema_version (store), ==, KAC_STORE_SCHEMA_VERSION);
  g_clear_object (&store);

  g_assert_cmpint (kac_test_query_int (fixture->path, "PRAGMA user_version"), ==, KAC_STORE_SCHEMA_VERSION);
  schema = dup_schema (fixture->path, "WHERE name NOT LIKE 'sqlite_%'");
  g_test_message ("%s", schema);
  g_assert_nonnull (strstr (schema, "table records: CREATETABLErecords("));
  g_assert_nonnull (strstr (schema, "table record_history: CREATETABLErecord_history("));
  g_assert_nonnull (strstr (schema, "index records_created_at:"));
  g_assert_nonnull (strstr (schema, "index records_state:"));
  g_assert_nonnull (strstr (schema, "index record_history_uuid:"));
  g_assert_nonnull (strstr (schema, ")STRICT\n"));

  /* Opening again runs nothing and changes nothing. */
  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  {
    g_autofree char *again = dup_schema (fixture->path, "WHERE name NOT LIKE 'sqlite_%'");

    g_assert_cmpstr (again, ==, schema);
  }
}

static void
test_from_v1 (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autoptr(KacRecord) record = NULL;
  g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);
  g_autoptr(GDateTime) created = NULL;
  g_autofree char *fresh_path = g_build_filename (fixture->dir, "fresh.db", NULL);
  g_autofree char *v1_schema = NULL;
  GListModel *records;

  load_fixture (fixture->path, "store-v1.sql");
  g_assert_cmpint (kac_test_query_int (fixture->path, "PRAGMA user_version"), ==, 1);

  /* The fixture is what migration 1 writes: the upgraded file and a fresh one have the same
   * records table and created_at index. */
  v1_schema = dup_schema (fixture->path, "WHERE name IN ('records', 'records_created_at')");

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_store_get_schema_version (store), ==, KAC_STORE_SCHEMA_VERSION);

  /* Every row, every field, through the store. */
  record = kac_store_lookup_record (store, "6f1c7e2a-4b0d-4c59-9a57-3e2f1d0c8b01", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_record_get_kind (record), ==, KAC_RECORD_KIND_APPLICATION);
  g_assert_cmpstr (kac_record_get_service_code (record), ==, "VSAA-01");
  g_assert_cmpstr (kac_record_get_institution_code (record), ==, "VSAA");
  g_assert_cmpstr (kac_record_get_service_name (record), ==, "Bērna kopšanas pabalsts");
  g_assert_cmpint (kac_record_get_channel (record), ==, KAC_CHANNEL_IN_PERSON);
  g_assert_cmpstr (kac_record_get_client_name (record), ==, "Jānis Bērziņš");
  g_assert_cmpstr (kac_record_get_client_code (record), ==, "161175-19997");
  g_assert_cmpstr (kac_record_get_notes (record), ==, "Klients iesniedza visus dokumentus.");
  g_assert_cmpint (kac_record_get_satisfaction (record), ==, 5);
  created = date_time_from_usec (G_GINT64_CONSTANT (1709540130123456));
  g_assert_true (g_date_time_equal (kac_record_get_created_at (record), created));
  g_assert_cmpint (g_date_time_get_microsecond (kac_record_get_created_at (record)), ==, 123456);
  g_assert_cmpstr (kac_record_get_clerk (record), ==, "ieva");
  g_assert_cmpstr (kac_record_get_centre_id (record), ==, "KAC-TUKUMS");
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_ACCEPTED);
  g_assert_null (kac_record_get_state_detail (record));
  g_assert_cmpstr (kac_record_get_central_number (record), ==, "VPVKAC-2024-000417");
  g_clear_object (&record);

  record = kac_store_lookup_record (store, "0b9a8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c02", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_record_get_kind (record), ==, KAC_RECORD_KIND_INFORMATION);
  g_assert_cmpint (kac_record_get_channel (record), ==, KAC_CHANNEL_PHONE);
  g_assert_null (kac_record_get_client_name (record));
  g_assert_null (kac_record_get_client_code (record));
  g_assert_null (kac_record_get_notes (record));
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_QUEUED);
  g_clear_object (&record);

  record = kac_store_lookup_record (store, "c3d2e1f0-a9b8-4c7d-8e6f-5a4b3c2d1e03", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_record_get_kind (record), ==, KAC_RECORD_KIND_COMPLAINT);
  g_assert_null (kac_record_get_service_code (record));
  g_assert_cmpint (kac_record_get_channel (record), ==, KAC_CHANNEL_POST);
  g_assert_cmpstr (kac_record_get_client_name (record), ==, "Ēriks Šņore");
  g_assert_cmpstr (kac_record_get_client_code (record), ==, "323456-12345");
  g_assert_cmpint (kac_record_get_satisfaction (record), ==, 2);
  g_assert_cmpstr (kac_record_get_clerk (record), ==, "māris");
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_REJECTED);
  g_assert_cmpstr (kac_record_get_state_detail (record), ==, "Nav norādīta iestāde");
  g_clear_object (&record);

  record = kac_store_lookup_record (store, "e5f4a3b2-c1d0-4e9f-8a7b-6c5d4e3f2a04", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_record_get_kind (record), ==, KAC_RECORD_KIND_CONSULTATION_EADDRESS);
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_WITHDRAWN);
  g_clear_object (&record);

  /* Old records are not today's; a wider window shows all four, newest first. */
  records = kac_store_get_records (store);
  g_assert_cmpuint (g_list_model_get_n_items (records), ==, 0);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 1);
  g_assert_true (kac_store_set_records_since (store, epoch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (records), ==, 4);
  record = g_list_model_get_item (records, 0);
  g_assert_cmpstr (kac_record_get_uuid (record), ==, "e5f4a3b2-c1d0-4e9f-8a7b-6c5d4e3f2a04");
  g_clear_object (&record);
  record = g_list_model_get_item (records, 3);
  g_assert_cmpstr (kac_record_get_uuid (record), ==, "6f1c7e2a-4b0d-4c59-9a57-3e2f1d0c8b01");
  g_clear_object (&record);

  /* The new table works on old rows: the rejected complaint is corrected, with history. */
  record = kac_store_lookup_record (store, "c3d2e1f0-a9b8-4c7d-8e6f-5a4b3c2d1e03", &error);
  kac_record_set_notes (record, "Labots pēc atteikuma.");
  g_assert_true (kac_store_save_record (store, record, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 2);
  g_clear_object (&store);

  g_assert_cmpint (kac_test_query_int (fixture->path, "PRAGMA user_version"), ==, KAC_STORE_SCHEMA_VERSION);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM records"), ==, 4);
  g_assert_cmpint (kac_test_query_int (fixture->path,
                              "SELECT count(*) FROM record_history WHERE state = 'rejected' "
                              "AND state_detail = 'Nav norādīta iestāde'"), ==, 1);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);

  /* Compare with a file made by the current code from nothing. */
  store = kac_store_open (fresh_path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  {
    g_autofree char *fresh_schema = dup_schema (fresh_path, "WHERE name IN ('records', 'records_created_at')");

    g_assert_cmpstr (v1_schema, ==, fresh_schema);
  }
  {
    g_autofree char *upgraded = dup_schema (fixture->path, "WHERE name NOT LIKE 'sqlite_%'");
    g_autofree char *fresh = dup_schema (fresh_path, "WHERE name NOT LIKE 'sqlite_%'");

    g_assert_cmpstr (upgraded, ==, fresh);
  }
}

/* Version 2 → 3: the outbox. Each record v2 left queued gets an entry whose body is the
 * canonical JSON of the stored row; the others get none; rows and history stay as they were. */
static void
test_from_v2 (Fixture       *fixture,
              gconstpointer  data)
{
  static const char * const queued[] = {
    "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d02",
    "3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e03",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autoptr(KacRecord) record = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *fresh_path = g_build_filename (fixture->dir, "fresh.db", NULL);
  g_autofree char *v2_schema = NULL;

  load_fixture (fixture->path, "store-v2.sql");
  g_assert_cmpint (kac_test_query_int (fixture->path, "PRAGMA user_version"), ==, 2);
  v2_schema = dup_schema (fixture->path, "WHERE name NOT LIKE 'sqlite_%'");

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_store_get_schema_version (store), ==, KAC_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 2);
  g_assert_cmpuint (kac_store_get_n_pending (store), ==, 2);
  g_assert_cmpuint (kac_store_get_n_rejected (store), ==, 1);

  /* Oldest first, each with the body of its stored row, never attempted. */
  entries = kac_store_outbox_take (store, 10, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, G_N_ELEMENTS (queued));
  for (guint i = 0; i < G_N_ELEMENTS (queued); i++)
    {
      KacOutboxEntry *entry = entries->pdata[i];
      g_autofree char *body = NULL;

      g_assert_cmpstr (entry->uuid, ==, queued[i]);
      g_assert_cmpuint (entry->attempts, ==, 0);
      record = kac_store_lookup_record (store, queued[i], &error);
      g_assert_no_error (error);
      g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_SENDING);
      body = kac_wire_encode_record (record);
      g_assert_cmpstr (entry->body, ==, body);
      g_clear_object (&record);
    }
  g_assert_nonnull (strstr (((KacOutboxEntry *) entries->pdata[0])->body, "\"Ēriks Šņore\""));

  /* The rows the outbox does not concern are untouched. */
  record = kac_store_lookup_record (store, "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c01", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_ACCEPTED);
  g_assert_cmpstr (kac_record_get_central_number (record), ==, "KAC-2025-000001");
  g_assert_cmpint (g_date_time_get_microsecond (kac_record_get_created_at (record)), ==, 250000);
  g_clear_object (&record);
  record = kac_store_lookup_record (store, "4d5e6f7a-8b9c-4d0e-9f2a-3b4c5d6e7f04", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_REJECTED);
  g_assert_cmpstr (kac_record_get_state_detail (record), ==, "Pakalpojums šajā centrā netiek sniegts");
  g_clear_object (&record);
  g_clear_object (&store);

  /* Taken but never answered (as if killed): pending again at the next open. */
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM outbox WHERE state = 'in-flight'"), ==, 2);
  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 2);
  g_clear_object (&store);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, 2);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM records WHERE state = 'sending'"), ==, 0);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM record_history"), ==, 2);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM records"), ==, 5);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);

  /* The fixture is what migrations 1 and 2 write, and the upgrade what a fresh file has. */
  store = kac_store_open (fresh_path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  {
    g_autofree char *fresh_v2 = dup_schema (fresh_path, "WHERE name NOT LIKE 'sqlite_%' AND name IN "
                                            "('records', 'records_created_at', 'record_history', "
                                            "'record_history_uuid', 'records_state')");
    g_autofree char *upgraded = dup_schema (fixture->path, "WHERE name NOT LIKE 'sqlite_%'");
    g_autofree char *fresh = dup_schema (fresh_path, "WHERE name NOT LIKE 'sqlite_%'");

    g_assert_cmpstr (v2_schema, ==, fresh_v2);
    g_assert_cmpstr (upgraded, ==, fresh);
  }
}

/* Version 3 → 4: the materials and notices cache. Records, history, the outbox (the entry left
 * in flight goes back to pending), the central statuses and the engine's values stay; the new
 * tables are empty and work. */
static void
test_from_v3 (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) materials = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(KacWireFeedPage) page = kac_wire_materials_page_new ();
  g_autofree char *fresh_path = g_build_filename (fixture->dir, "fresh.db", NULL);
  g_autofree char *v3_schema = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *last_sync = NULL;
  KacWireMaterial *material;
  const char *services[] = { "VSAA-01", NULL };

  load_fixture (fixture->path, "store-v3.sql");
  g_assert_cmpint (kac_test_query_int (fixture->path, "PRAGMA user_version"), ==, 3);
  v3_schema = dup_schema (fixture->path, "WHERE name NOT LIKE 'sqlite_%'");

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_store_get_schema_version (store), ==, KAC_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 2);

  /* The engine's values survive: no resync of the statuses after the upgrade. */
  cursor = kac_store_dup_changes_cursor (store);
  g_assert_cmpstr (cursor, ==, "c0ffee.42");
  last_sync = kac_store_dup_sync_value (store, "last-sync");
  g_assert_cmpstr (last_sync, ==, "2025-02-05T12:01:00Z");

  /* Both entries are due, with the bodies serialised at the save, byte for byte. */
  entries = kac_store_outbox_take (store, 10, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  for (guint i = 0; i < entries->len; i++)
    {
      KacOutboxEntry *entry = entries->pdata[i];

      if (g_str_equal (entry->uuid, "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d02"))
        {
          g_assert_cmpstr (entry->body, ==, "{\"uuid\":\"2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d02\","
                                            "\"kind\":\"application\",\"service\":\"VID-03\"}");
          g_assert_cmpuint (entry->attempts, ==, 2);
        }
      else
        g_assert_cmpstr (entry->uuid, ==, "3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e03");
    }
  g_assert_true (kac_store_outbox_release (store, entries, 0, NULL, &error));
  g_assert_no_error (error);

  /* The new cache is empty, then takes a page and finds it without diacritics. */
  materials = kac_store_list_materials (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (materials->len, ==, 0);
  material = kac_wire_material_new ();
  material->id = g_strdup ("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c06");
  material->version = 1;
  material->institution = g_strdup ("VSAA");
  material->title = g_strdup ("Bērna kopšanas pabalsts");
  material->body = g_strdup ("Pabalstu piešķir vienam no vecākiem.");
  material->services = g_strdupv ((GStrv) services);
  material->updated_at = g_date_time_new_utc (2025, 2, 6, 8, 0, 0);
  g_ptr_array_add (page->items, material);
  page->cursor = g_strdup ("c0ffee.7");
  g_assert_true (kac_store_apply_materials_page (store, page, NULL, &error));
  g_assert_no_error (error);
  hits = kac_store_search_materials (store, "berna", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_object (&store);

  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM records"), ==, 5);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM record_history"), ==, 2);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, 2);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM records WHERE state = 'sending'"), ==, 0);
  g_assert_cmpint (kac_test_query_int (fixture->path,
                                       "SELECT count(*) FROM application_status WHERE status = 'forwarded' "
                                       "AND due_date = '2025-02-14'"), ==, 1);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);

  /* The fixture is what migrations 1 to 3 write, and the upgrade what a fresh file has. */
  store = kac_store_open (fresh_path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  {
    g_autofree char *fresh_v3 = dup_schema (fresh_path, "WHERE name NOT LIKE 'sqlite_%' AND name IN "
                                            "('records', 'records_created_at', 'record_history', "
                                            "'record_history_uuid', 'records_state', 'outbox', "
                                            "'outbox_due', 'application_status', 'sync_values')");
    g_autofree char *upgraded = dup_schema (fixture->path, "WHERE name NOT LIKE 'sqlite_%'");
    g_autofree char *fresh = dup_schema (fresh_path, "WHERE name NOT LIKE 'sqlite_%'");

    g_autoptr(GString) fresh_v3_only = g_string_new (fresh_v3);

    /* Migration 5 adds three columns to the status table; without them it is version 3's. */
    g_string_replace (fresh_v3_only, "due_dateTEXT,record_dayTEXT,service_codeTEXT,institution_codeTEXT)",
                      "due_dateTEXT)", 1);
    g_assert_cmpstr (v3_schema, ==, fresh_v3_only->str);
    g_assert_cmpstr (upgraded, ==, fresh);
  }
}

/* The daily table of a file against a count over its records, as "day|service|institution|
 * cases|application|…|satisfaction 5" lines: the two must always be equal. */
#define RECOUNT_SQL \
  "SELECT group_concat (line, char (10)) FROM (SELECT day || '|' || service || '|' || institution" \
  " || '|' || cases || '|' || application || '|' || information || '|' || eservices || '|' ||" \
  " eaddress || '|' || complaint || '|' || question || '|' || suggestion || '|' || in_person" \
  " || '|' || phone || '|' || electronic || '|' || post || '|' || s1 || '|' || s2 || '|' || s3" \
  " || '|' || s4 || '|' || s5 AS line FROM (SELECT" \
  " date (created_at / 1000000, 'unixepoch', '+2 hours') AS day," \
  " coalesce (service_code, '') AS service, coalesce (institution_code, '') AS institution," \
  " count(*) AS cases, sum(kind = 'application') AS application," \
  " sum(kind = 'information') AS information, sum(kind = 'consultation-eservices') AS eservices," \
  " sum(kind = 'consultation-eaddress') AS eaddress, sum(kind = 'complaint') AS complaint," \
  " sum(kind = 'question') AS question, sum(kind = 'suggestion') AS suggestion," \
  " sum(channel = 'in-person') AS in_person, sum(channel = 'phone') AS phone," \
  " sum(channel = 'electronic') AS electronic, sum(channel = 'post') AS post," \
  " sum(satisfaction = 1) AS s1, sum(satisfaction = 2) AS s2, sum(satisfaction = 3) AS s3," \
  " sum(satisfaction = 4) AS s4, sum(satisfaction = 5) AS s5" \
  " FROM records WHERE state != 'withdrawn' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3))"

#define DAILY_SQL \
  "SELECT group_concat (line, char (10)) FROM (SELECT day || '|' || service_code || '|' ||" \
  " institution_code || '|' || cases || '|' || application || '|' || information || '|' ||" \
  " consultation_eservices || '|' || consultation_eaddress || '|' || complaint || '|' ||" \
  " question || '|' || suggestion || '|' || in_person || '|' || phone || '|' || electronic" \
  " || '|' || post || '|' || satisfaction_1 || '|' || satisfaction_2 || '|' || satisfaction_3" \
  " || '|' || satisfaction_4 || '|' || satisfaction_5 AS line FROM stats_daily" \
  " ORDER BY day, service_code, institution_code)"

static void
test_from_v4 (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autoptr(KacWireStats) stats = NULL;
  g_autoptr(GPtrArray) materials = NULL;
  g_autoptr(GPtrArray) notices = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *fresh_path = g_build_filename (fixture->dir, "fresh.db", NULL);
  g_autofree char *v4_schema = NULL;
  g_autofree char *recount = NULL;
  g_autofree char *daily = NULL;
  GDate from, to, as_of;

  load_fixture (fixture->path, "store-v4.sql");
  g_assert_cmpint (kac_test_query_int (fixture->path, "PRAGMA user_version"), ==, 4);
  v4_schema = dup_schema (fixture->path, "WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'materials_fts_%'");

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_store_get_schema_version (store), ==, KAC_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 2);

  /* The cache of version 4 is intact. */
  materials = kac_store_list_materials (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (materials->len, ==, 1);
  hits = kac_store_search_materials (store, "berna", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  notices = kac_store_list_notices (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notices->len, ==, 1);

  /* Counted by hand from the fixture (days in Latvia, UTC+2 in February): 3 February, two
   * applications (VSAA-01 in person, satisfaction 4; VID-03 by phone); 4 February, a question
   * with no service (electronic) and a rejected application (VSAA-02, post); 5 February,
   * information on VID-03 made at 00:30 (in person, satisfaction 5); the withdrawn
   * information does not count. The VSAA-01 application was due on 14 February and is not
   * completed: delayed on 1 March. */
  g_date_clear (&from, 1);
  g_date_set_dmy (&from, 3, G_DATE_FEBRUARY, 2025);
  g_date_clear (&to, 1);
  g_date_set_dmy (&to, 5, G_DATE_FEBRUARY, 2025);
  g_date_clear (&as_of, 1);
  g_date_set_dmy (&as_of, 1, G_DATE_MARCH, 2025);
  stats = kac_store_get_stats (store, "riga-1", NULL, &from, &to, &as_of, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stats->totals.cases, ==, 5);
  g_assert_cmpint (stats->totals.by_kind[KAC_RECORD_KIND_APPLICATION], ==, 3);
  g_assert_cmpint (stats->totals.by_kind[KAC_RECORD_KIND_INFORMATION], ==, 1);
  g_assert_cmpint (stats->totals.by_kind[KAC_RECORD_KIND_QUESTION], ==, 1);
  g_assert_cmpint (stats->totals.by_channel[KAC_CHANNEL_IN_PERSON], ==, 2);
  g_assert_cmpint (stats->totals.by_channel[KAC_CHANNEL_PHONE], ==, 1);
  g_assert_cmpint (stats->totals.by_channel[KAC_CHANNEL_ELECTRONIC], ==, 1);
  g_assert_cmpint (stats->totals.by_channel[KAC_CHANNEL_POST], ==, 1);
  g_assert_cmpint (stats->totals.satisfaction[3], ==, 1);
  g_assert_cmpint (stats->totals.satisfaction[4], ==, 1);
  g_assert_cmpint (stats->totals.delayed, ==, 1);
  g_assert_cmpint (g_array_index (stats->days, KacWireStatsDay, 0).figures.cases, ==, 2);
  g_assert_cmpint (g_array_index (stats->days, KacWireStatsDay, 0).figures.delayed, ==, 1);
  g_assert_cmpint (g_array_index (stats->days, KacWireStatsDay, 1).figures.cases, ==, 2);
  g_assert_cmpint (g_array_index (stats->days, KacWireStatsDay, 2).figures.cases, ==, 1);
  g_assert_cmpuint (stats->services->len, ==, 4);
  g_clear_object (&store);

  /* The daily table is the count over the records (February: UTC+2 all month). */
  recount = kac_test_query_text (fixture->path, RECOUNT_SQL);
  daily = kac_test_query_text (fixture->path, DAILY_SQL);
  g_assert_cmpstr (daily, ==, recount);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM records"), ==, 6);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  g_assert_cmpint (kac_test_query_int (fixture->path,
                                       "SELECT count(*) FROM application_status WHERE record_day = '2025-02-03' "
                                       "AND service_code = 'VSAA-01' AND institution_code = 'VSAA'"), ==, 1);

  /* The fixture is what migrations 1 to 4 write, and the upgrade what a fresh file has. */
  store = kac_store_open (fresh_path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  {
    g_autofree char *fresh_v4 = dup_schema (fresh_path, "WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'materials_fts_%' "
                                            "AND type != 'trigger' AND name NOT IN ('stats_daily', 'application_status_day')");
    g_autofree char *upgraded = dup_schema (fixture->path, "WHERE name NOT LIKE 'sqlite_%'");
    g_autofree char *fresh = dup_schema (fresh_path, "WHERE name NOT LIKE 'sqlite_%'");
    g_autoptr(GString) fresh_v4_only = g_string_new (fresh_v4);

    g_string_replace (fresh_v4_only, "due_dateTEXT,record_dayTEXT,service_codeTEXT,institution_codeTEXT)",
                      "due_dateTEXT)", 1);
    g_string_replace (fresh_v4_only, "prefix='23456'", "prefix='23'", 1);
    g_assert_cmpstr (v4_schema, ==, fresh_v4_only->str);
    g_assert_cmpstr (upgraded, ==, fresh);
  }
}

/* The search index of version 5, rebuilt by step 6 with prefix indexes of 2 to 6 characters. */
static void
test_from_v5 (Fixture       *fixture,
              gconstpointer  data)
{
  static const struct { const char *query; const char *ids; } searches[] = {
    { "berna", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c01 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c03" },
    { "kops", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c01 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c03" },
    { "pensij", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c03" },
    { "piešķir", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c01 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c03" },
    { "\"berna kopsanas\" stāž", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c03" },
    { "VSAA-03", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c03" },
    { "slimib", "" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;
  g_autofree char *fresh_path = g_build_filename (fixture->dir, "fresh.db", NULL);
  g_autofree char *v5_schema = NULL;
  g_autofree char *v5_rows = NULL;
  g_autofree char *fts_sql = NULL;
  g_autofree char *upgraded_rows = NULL;
  const char *rows_sql = "SELECT group_concat (line, '|') FROM (SELECT rowid || ':' || title || ':' || body "
                         "|| ':' || services AS line FROM materials_fts ORDER BY rowid)";

  load_fixture (fixture->path, "store-v5.sql");
  g_assert_cmpint (kac_test_query_int (fixture->path, "PRAGMA user_version"), ==, 5);
  v5_schema = dup_schema (fixture->path, "WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'materials_fts%'");
  v5_rows = kac_test_query_text (fixture->path, rows_sql);

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_store_get_schema_version (store), ==, KAC_STORE_SCHEMA_VERSION);

  /* Each material is found under its own rowid (the gap at 2 stays a gap), by 4-6 letters too. */
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GPtrArray) hits = kac_store_search_materials (store, searches[i].query, 10, &error);
      g_autoptr(GString) ids = g_string_new (NULL);

      g_assert_no_error (error);
      for (guint h = 0; h < hits->len; h++)
        g_string_append_printf (ids, "%s%s", h > 0 ? " " : "", ((KacMaterialHit *) hits->pdata[h])->id);
      g_test_message ("%s: %s", searches[i].query, ids->str);
      g_assert_cmpstr (ids->str, ==, searches[i].ids);
    }
  g_clear_object (&store);

  /* The same rows, the new options, no old table left; everything else as it was. */
  upgraded_rows = kac_test_query_text (fixture->path, rows_sql);
  g_assert_cmpstr (upgraded_rows, ==, v5_rows);
  fts_sql = kac_test_query_text (fixture->path, "SELECT sql FROM sqlite_schema WHERE name = 'materials_fts'");
  g_assert_nonnull (strstr (fts_sql, "prefix = '2 3 4 5 6'"));
  g_assert_nonnull (strstr (fts_sql, "tokenize = 'unicode61 remove_diacritics 2'"));
  g_assert_cmpint (kac_test_query_int (fixture->path,
                                       "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'materials_fts_v5%'"), ==, 0);
  kac_test_exec_sql_on_file (fixture->path, "INSERT INTO materials_fts (materials_fts) VALUES ('integrity-check')");
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM materials"), ==, 2);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM records"), ==, 6);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM stats_daily"), ==, 5);
  {
    g_autofree char *upgraded_rest = dup_schema (fixture->path, "WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'materials_fts%'");

    g_assert_cmpstr (upgraded_rest, ==, v5_schema);
  }

  /* The fixture is what migrations 1 to 5 write, and the upgrade what a fresh file has. */
  store = kac_store_open (fresh_path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  {
    g_autofree char *fresh_rest = dup_schema (fresh_path, "WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'materials_fts%'");
    g_autofree char *upgraded = dup_schema (fixture->path, "WHERE name NOT LIKE 'sqlite_%'");
    g_autofree char *fresh = dup_schema (fresh_path, "WHERE name NOT LIKE 'sqlite_%'");

    g_assert_cmpstr (v5_schema, ==, fresh_rest);
    g_assert_cmpstr (upgraded, ==, fresh);
  }
}

static void
test_failed_step_rolls_back (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacStore) store = NULL;

  /* A version 1 file that somehow already has a record_history table: step 2 cannot create
   * its own and must leave the file exactly at version 1. */
  load_fixture (fixture->path, "store-v1.sql");
  kac_test_exec_sql_on_file (fixture->path, "CREATE TABLE record_history (note TEXT);"
                           "INSERT INTO record_history VALUES ('kept');");

  store = kac_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "record_history"));
  g_clear_error (&error);

  g_assert_cmpint (kac_test_query_int (fixture->path, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (kac_test_query_int (fixture->path,
                              "SELECT count(*) FROM sqlite_schema WHERE name = 'records_state'"), ==, 0);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM records"), ==, 4);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM record_history WHERE note = 'kept'"), ==, 1);

  /* Once the stray table is gone, the upgrade goes through. */
  kac_test_exec_sql_on_file (fixture->path, "DROP TABLE record_history;");
  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kac_store_get_schema_version (store), ==, KAC_STORE_SCHEMA_VERSION);
  g_clear_object (&store);
  g_assert_cmpint (kac_test_query_int (fixture->path, "PRAGMA user_version"), ==, KAC_STORE_SCHEMA_VERSION);
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM records"), ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store-migrations/new-file", Fixture, NULL,
              kac_test_fixture_set_up, test_new_file, kac_test_fixture_tear_down);
  g_test_add ("/store-migrations/from-v1", Fixture, NULL,
              kac_test_fixture_set_up, test_from_v1, kac_test_fixture_tear_down);
  g_test_add ("/store-migrations/from-v2", Fixture, NULL,
              kac_test_fixture_set_up, test_from_v2, kac_test_fixture_tear_down);
  g_test_add ("/store-migrations/from-v3", Fixture, NULL,
              kac_test_fixture_set_up, test_from_v3, kac_test_fixture_tear_down);
  g_test_add ("/store-migrations/from-v4", Fixture, NULL,
              kac_test_fixture_set_up, test_from_v4, kac_test_fixture_tear_down);
  g_test_add ("/store-migrations/from-v5", Fixture, NULL,
              kac_test_fixture_set_up, test_from_v5, kac_test_fixture_tear_down);
  g_test_add ("/store-migrations/failed-step-rolls-back", Fixture, NULL,
              kac_test_fixture_set_up, test_failed_step_rolls_back, kac_test_fixture_tear_down);

  return g_test_run ();
}
