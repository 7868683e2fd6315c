/* test-retention.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Personal data kept no longer than needed on the terminal (kac_store_forget_personal_data):
 * with an injected "now", registrations accepted or withdrawn more than the retention ago lose
 * the client's name and personal code (also in their history of corrections), the others keep
 * theirs, the figures do not change, and the forgotten codes are gone from the bytes of the
 * database file and its write-ahead log.
 */
#define G_LOG_DOMAIN "test-retention"

#include "config.h"

#include <string.h>

#include "kac-store.h"
#include "kac-store-stats.h"
#include "kac-test-util.h"
#include "kac-wire.h"

#define CENTRE "riga-1"
#define DAYS 30

typedef struct
{
  const char *name;
  const char *code;
  int         age_days;     /* before "now" */
  const char *fate;         /* accepted, rejected, withdrawn, queued, corrected-accepted */
  gboolean    forgotten;
} Case;

static const Case cases[] = {
  { "Anna Ozola",      "180565-05610", 40, "accepted",           TRUE },
  { "Baiba Liepa",     "325794-61005", 10, "accepted",           FALSE },
  { "Cilda Egle",      "329876-54321", 40, "rejected",           FALSE },
  { "Dainis Krūmiņš",  "331234-56789", 40, "queued",             FALSE },
  { "Edgars Vītols",   "280638-19406", 40, "withdrawn",          TRUE },
  { "Fricis Lācis",    "290212-29381", 31, "corrected-accepted", TRUE },
};

/* What F was registered with before the correction: in the history only. */
#define FIRST_NAME_OF_F "Fricis Lacis"
#define FIRST_CODE_OF_F "211244-14874"

static GDateTime *
make_now (void)
{
  return g_date_time_new_utc (2026, 3, 16, 10, 0, 0);
}

static KacRecord *
make_record (const Case *c,
             GDateTime  *now)
{
  g_autoptr(GDateTime) created = g_date_time_add_days (now, -c->age_days);
  g_autoptr(KacService) service = kac_test_make_service ();
  KacRecord *record = g_object_new (KAC_TYPE_RECORD,
                                    "kind", KAC_RECORD_KIND_APPLICATION,
                                    "created-at", created,
                                    NULL);

  kac_record_set_service (record, service);
  kac_record_set_channel (record, KAC_CHANNEL_IN_PERSON);
  kac_record_set_client_name (record, c->name);
  kac_record_set_client_code (record, c->code);
  kac_record_set_clerk (record, "anna");
  kac_record_set_centre_id (record, CENTRE);
  return record;
}

static char *
stats_json (KacStore  *store,
            GDateTime *now)
{
  g_autoptr(KacWireStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GDate from, to;

  g_date_clear (&from, 1);
  g_date_clear (&to, 1);
  g_date_set_dmy (&from, 1, 1, 2026);
  g_date_set_dmy (&to, 31, 3, 2026);
  stats = kac_store_get_stats (store, CENTRE, NULL, &from, &to, &to, &error);
  g_assert_no_error (error);
  bytes = kac_wire_encode_stats (stats);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Whether @needle is anywhere in the bytes of @path (a missing file holds nothing). */
static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  gsize n = strlen (needle);

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (contents + i, needle, n) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
store_files_contain (const char *path,
                     const char *needle)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  return file_contains (path, needle) || file_contains (wal, needle);
}

static void
test_forget (KacTestFixture *fixture,
             gconstpointer   data)
{
  g_autoptr(GDateTime) now = make_now ();
  g_autoptr(KacStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_wire_item_result_free);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  KacRecord *queued = NULL;

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KacRecord *record = make_record (&cases[i], now);

      g_ptr_array_add (records, record);
      if (g_str_equal (cases[i].fate, "queued"))
        {
          queued = record;   /* saved after the others were sent */
          continue;
        }

      if (g_str_equal (cases[i].fate, "corrected-accepted"))
        {
          /* Registered with a typo, corrected while still queued: the first version is in
           * the history. */
          kac_record_set_client_name (record, FIRST_NAME_OF_F);
          kac_record_set_client_code (record, FIRST_CODE_OF_F);
          g_assert_true (kac_store_save_record (store, record, &error));
          g_assert_no_error (error);
          kac_record_set_client_name (record, cases[i].name);
          kac_record_set_client_code (record, cases[i].code);
        }
      g_assert_true (kac_store_save_record (store, record, &error));
      g_assert_no_error (error);

      if (g_str_equal (cases[i].fate, "withdrawn"))
        {
          g_assert_true (kac_store_withdraw_record (store, kac_record_get_uuid (record), &error));
          g_assert_no_error (error);
        }
    }

  /* The central system answers: accepted, or rejected for C. */
  entries = kac_store_outbox_take (store, 100, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 4);
  for (guint i = 0; i < entries->len; i++)
    {
      KacOutboxEntry *entry = entries->pdata[i];
      KacWireItemResult *result;
      gboolean reject = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (cases); j++)
        if (g_str_equal (kac_record_get_uuid (records->pdata[j]), entry->uuid))
          reject = g_str_equal (cases[j].fate, "rejected");

      result = kac_wire_item_result_new (entry->uuid, reject ? KAC_WIRE_ITEM_REJECTED : KAC_WIRE_ITEM_ACCEPTED);
      if (reject)
        {
          result->code = g_strdup ("invalid-personal-code");
          result->title = g_strdup ("Check the personal code.");
        }
      else
        result->central_number = g_strdup_printf ("KAC-2026-%06u", i + 1);
      g_ptr_array_add (results, result);
    }
  g_assert_true (kac_store_outbox_apply_results (store, entries, results, &error));
  g_assert_no_error (error);

  g_assert_true (kac_store_save_record (store, queued, &error));
  g_assert_no_error (error);

  before = stats_json (store, now);
  /* The byte search can see a code: before, every one is in the file or its log. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_true (store_files_contain (fixture->path, cases[i].code));

  /* Everything before the retention: three registrations forget their client. */
  g_assert_cmpint (kac_store_forget_personal_data (store, now, DAYS, &error), ==, 3);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KacRecord) stored = kac_store_lookup_record (store, kac_record_get_uuid (records->pdata[i]), &error);
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM record_history WHERE uuid = '%s' "
                                              "AND (client_name IS NOT NULL OR client_code IS NOT NULL)",
                                              kac_record_get_uuid (records->pdata[i]));

      g_assert_no_error (error);
      g_assert_nonnull (stored);
      if (cases[i].forgotten)
        {
          g_assert_null (kac_record_get_client_name (stored));
          g_assert_null (kac_record_get_client_code (stored));
          g_assert_cmpint (kac_test_query_int (fixture->path, sql), ==, 0);
        }
      else
        {
          g_assert_cmpstr (kac_record_get_client_name (stored), ==, cases[i].name);
          g_assert_nonnull (kac_record_get_client_code (stored));
        }

      /* The rest of the registration stays: service, channel, state, number. */
      g_assert_cmpstr (kac_record_get_service_code (stored), ==, "VSAA-01");
      g_assert_cmpint (kac_record_get_channel (stored), ==, KAC_CHANNEL_IN_PERSON);

      /* Not in the file, nor in its log, in either form. */
      if (cases[i].forgotten)
        {
          g_autofree char *digits = g_strdup_printf ("%.6s%s", cases[i].code, cases[i].code + 7);

          g_assert_false (store_files_contain (fixture->path, cases[i].code));
          g_assert_false (store_files_contain (fixture->path, digits));
          g_assert_false (store_files_contain (fixture->path, cases[i].name));
        }
    }
  g_assert_false (store_files_contain (fixture->path, FIRST_CODE_OF_F));
  g_assert_false (store_files_contain (fixture->path, FIRST_NAME_OF_F));
  /* The kept ones are still there, so the search above can find a code. */
  g_assert_true (store_files_contain (fixture->path, "Baiba Liepa"));

  /* The figures are exactly what they were. */
  after = stats_json (store, now);
  g_assert_cmpstr (after, ==, before);

  /* Nothing more to forget until time passes: B's 30 days end on day 31 after it. */
  g_assert_cmpint (kac_store_forget_personal_data (store, now, DAYS, &error), ==, 0);
  g_assert_no_error (error);
  {
    g_autoptr(GDateTime) later = g_date_time_add_days (now, 21);

    g_assert_cmpint (kac_store_forget_personal_data (store, later, DAYS, &error), ==, 1);
    g_assert_no_error (error);
  }
  g_assert_cmpint (kac_test_query_int (fixture->path, "SELECT count(*) FROM records "
                                                      "WHERE client_code IS NOT NULL"), ==, 2);
  g_assert_cmpstr (stats_json (store, now), ==, before);
}

/* A shorter retention reaches further. */
static void
test_retention_days (KacTestFixture *fixture,
                     gconstpointer   data)
{
  g_autoptr(GDateTime) now = make_now ();
  g_autoptr(KacStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KacRecord) record = make_record (&cases[1], now);   /* 10 days old */
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_wire_item_result_free);
  KacWireItemResult *result;

  store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (kac_store_save_record (store, record, &error));
  entries = kac_store_outbox_take (store, 10, TRUE, &error);
  g_assert_no_error (error);
  result = kac_wire_item_result_new (kac_record_get_uuid (record), KAC_WIRE_ITEM_ACCEPTED);
  result->central_number = g_strdup ("KAC-2026-000001");
  g_ptr_array_add (results, result);
  g_assert_true (kac_store_outbox_apply_results (store, entries, results, &error));

  g_assert_cmpint (kac_store_forget_personal_data (store, now, 30, &error), ==, 0);
  g_assert_cmpint (kac_store_forget_personal_data (store, now, 11, &error), ==, 0);
  g_assert_cmpint (kac_store_forget_personal_data (store, now, 9, &error), ==, 1);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/retention/forget", KacTestFixture, NULL,
              kac_test_fixture_set_up, test_forget, kac_test_fixture_tear_down);
  g_test_add ("/retention/days", KacTestFixture, NULL,
              kac_test_fixture_set_up, test_retention_days, kac_test_fixture_tear_down);

  return g_test_run ();
}
