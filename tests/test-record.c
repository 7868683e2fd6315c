/* test-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KacRecord: construction, properties and their notifications, copy, and every branch of
 * kac_record_validate() with the error code that names the field.
 */
#define G_LOG_DOMAIN "test-record"

#include "config.h"

#include "kac-catalog.h"
#include "kac-personal-code.h"
#include "kac-record.h"
#include "kac-test-util.h"

#include <locale.h>
#include <string.h>

/* Helpers */

/* A complete, valid application: every test changes one thing from here. */
static KacRecord *
make_application (void)
{
  KacRecord *record = kac_test_make_application ("ieva", "KAC-TUKUMS");

  kac_record_set_notes (record, "Iesniegums par pabalstu.");
  kac_record_set_satisfaction (record, 5);

  return record;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 GHashTable *counts)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static guint
count_of (GHashTable *counts,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static guint
total_of (GHashTable *counts)
{
  GHashTableIter iter;
  gpointer value;
  guint total = 0;

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    total += GPOINTER_TO_UINT (value);

  return total;
}

/* Tests */

static void
test_new (void)
{
  gint64 before = g_get_real_time ();
  g_autoptr(KacRecord) a = kac_record_new (KAC_RECORD_KIND_INFORMATION);
  g_autoptr(KacRecord) b = kac_record_new (KAC_RECORD_KIND_INFORMATION);
  gint64 after = g_get_real_time ();
  GDateTime *created_at = kac_record_get_created_at (a);
  gint64 created_usec;

  g_assert_true (g_uuid_string_is_valid (kac_record_get_uuid (a)));
  g_assert_true (g_uuid_string_is_valid (kac_record_get_uuid (b)));
  g_assert_cmpstr (kac_record_get_uuid (a), !=, kac_record_get_uuid (b));

  g_assert_cmpint (kac_record_get_kind (a), ==, KAC_RECORD_KIND_INFORMATION);
  g_assert_cmpint (kac_record_get_state (a), ==, KAC_RECORD_STATE_QUEUED);
  g_assert_cmpint (kac_record_get_channel (a), ==, KAC_CHANNEL_IN_PERSON);
  g_assert_cmpint (kac_record_get_satisfaction (a), ==, 0);
  g_assert_null (kac_record_get_service_code (a));
  g_assert_null (kac_record_get_client_code (a));
  g_assert_true (kac_record_is_editable (a));

  g_assert_nonnull (created_at);
  g_assert_cmpint (g_date_time_get_utc_offset (created_at), ==, 0);
  created_usec = g_date_time_to_unix (created_at) * G_USEC_PER_SEC +
                 g_date_time_get_microsecond (created_at);
  g_assert_cmpint (created_usec, >=, before);
  g_assert_cmpint (created_usec, <=, after);
  g_assert_true (g_date_time_equal (kac_record_get_updated_at (a), created_at));
}

static void
test_construct_properties (void)
{
  g_autoptr(GTimeZone) riga = g_time_zone_new_offset (3 * 3600);
  g_autoptr(GDateTime) local = g_date_time_new (riga, 2024, 5, 17, 11, 30, 15.25);
  g_autoptr(KacRecord) record = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr(GDateTime) created_at = NULL;
  KacRecordKind kind;

  record = g_object_new (KAC_TYPE_RECORD,
                         "uuid", "0f8fad5b-d9cb-469f-a165-70867728950e",
                         "kind", KAC_RECORD_KIND_COMPLAINT,
                         "created-at", local,
                         "state", KAC_RECORD_STATE_REJECTED,
                         "state-detail", "Nav norādīts pakalpojums",
                         NULL);

  g_object_get (record, "uuid", &uuid, "kind", &kind, "created-at", &created_at, NULL);
  g_assert_cmpstr (uuid, ==, "0f8fad5b-d9cb-469f-a165-70867728950e");
  g_assert_cmpint (kind, ==, KAC_RECORD_KIND_COMPLAINT);
  /* The same instant, kept in UTC and to the microsecond. */
  g_assert_true (g_date_time_equal (created_at, local));
  g_assert_cmpint (g_date_time_get_utc_offset (created_at), ==, 0);
  g_assert_cmpint (g_date_time_get_hour (created_at), ==, 8);
  g_assert_cmpint (g_date_time_get_microsecond (created_at), ==, 250000);
  g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_REJECTED);
  g_assert_cmpstr (kac_record_get_state_detail (record), ==, "Nav norādīts pakalpojums");
  g_assert_true (kac_record_is_editable (record));

  kac_record_set_state (record, KAC_RECORD_STATE_SENDING);
  g_assert_false (kac_record_is_editable (record));
  kac_record_set_state (record, KAC_RECORD_STATE_ACCEPTED);
  g_assert_false (kac_record_is_editable (record));
  kac_record_set_state (record, KAC_RECORD_STATE_WITHDRAWN);
  g_assert_false (kac_record_is_editable (record));
  kac_record_set_state (record, KAC_RECORD_STATE_QUEUED);
  g_assert_true (kac_record_is_editable (record));
}

static void
test_notify (void)
{
  g_autoptr(KacRecord) record = kac_record_new (KAC_RECORD_KIND_APPLICATION);
  g_autoptr(KacService) service = kac_test_make_service ();
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) later = NULL;
  g_autoptr(GDateTime) same = NULL;

  g_signal_connect (record, "notify", G_CALLBACK (count_notify_cb), counts);

  /* Each setter notifies once on a change and never when the value stays the same. */
  kac_record_set_client_name (record, "Anna");
  kac_record_set_client_name (record, "Anna");
  g_assert_cmpuint (count_of (counts, "client-name"), ==, 1);
  kac_record_set_client_name (record, NULL);
  kac_record_set_client_name (record, NULL);
  g_assert_cmpuint (count_of (counts, "client-name"), ==, 2);

  kac_record_set_kind (record, KAC_RECORD_KIND_APPLICATION);
  g_assert_cmpuint (count_of (counts, "kind"), ==, 0);
  kac_record_set_kind (record, KAC_RECORD_KIND_QUESTION);
  g_assert_cmpuint (count_of (counts, "kind"), ==, 1);

  kac_record_set_channel (record, KAC_CHANNEL_PHONE);
  kac_record_set_channel (record, KAC_CHANNEL_PHONE);
  g_assert_cmpuint (count_of (counts, "channel"), ==, 1);

  kac_record_set_satisfaction (record, 4);
  kac_record_set_satisfaction (record, 4);
  g_assert_cmpuint (count_of (counts, "satisfaction"), ==, 1);

  kac_record_set_notes (record, "a");
  kac_record_set_notes (record, "a");
  kac_record_set_client_code (record, "161175-19997");
  kac_record_set_client_code (record, "161175-19997");
  kac_record_set_clerk (record, "ieva");
  kac_record_set_clerk (record, "ieva");
  kac_record_set_centre_id (record, "C1");
  kac_record_set_centre_id (record, "C1");
  kac_record_set_state (record, KAC_RECORD_STATE_SENDING);
  kac_record_set_state (record, KAC_RECORD_STATE_SENDING);
  kac_record_set_state_detail (record, "x");
  kac_record_set_state_detail (record, "x");
  kac_record_set_central_number (record, "N-1");
  kac_record_set_central_number (record, "N-1");
  g_assert_cmpuint (count_of (counts, "notes"), ==, 1);
  g_assert_cmpuint (count_of (counts, "client-code"), ==, 1);
  g_assert_cmpuint (count_of (counts, "clerk"), ==, 1);
  g_assert_cmpuint (count_of (counts, "centre-id"), ==, 1);
  g_assert_cmpuint (count_of (counts, "state"), ==, 1);
  g_assert_cmpuint (count_of (counts, "state-detail"), ==, 1);
  g_assert_cmpuint (count_of (counts, "central-number"), ==, 1);

  /* The service sets three properties together. */
  kac_record_set_service (record, service);
  g_assert_cmpstr (kac_record_get_service_code (record), ==, "VSAA-01");
  g_assert_cmpstr (kac_record_get_institution_code (record), ==, "VSAA");
  g_assert_cmpstr (kac_record_get_service_name (record), ==, "Bērna kopšanas pabalsts");
  g_assert_cmpuint (count_of (counts, "service-code"), ==, 1);
  g_assert_cmpuint (count_of (counts, "institution-code"), ==, 1);
  g_assert_cmpuint (count_of (counts, "service-name"), ==, 1);
  kac_record_set_service (record, service);
  g_assert_cmpuint (count_of (counts, "service-code"), ==, 1);
  kac_record_set_service (record, NULL);
  g_assert_null (kac_record_get_service_code (record));
  g_assert_null (kac_record_get_institution_code (record));
  g_assert_null (kac_record_get_service_name (record));
  g_assert_cmpuint (count_of (counts, "service-code"), ==, 2);
  g_assert_cmpuint (count_of (counts, "institution-code"), ==, 2);
  g_assert_cmpuint (count_of (counts, "service-name"), ==, 2);

  /* updated-at compares instants, not objects. */
  later = g_date_time_add_seconds (kac_record_get_created_at (record), 60);
  kac_record_set_updated_at (record, later);
  same = g_date_time_to_local (later);
  kac_record_set_updated_at (record, same);
  g_assert_cmpuint (count_of (counts, "updated-at"), ==, 1);
  g_assert_true (g_date_time_equal (kac_record_get_updated_at (record), later));

  /* g_object_set goes through the same checks (G_PARAM_EXPLICIT_NOTIFY). */
  {
    guint before = total_of (counts);

    g_object_set (record,
                  "notes", "a",
                  "kind", KAC_RECORD_KIND_QUESTION,
                  "satisfaction", 4,
                  "service-code", NULL,
                  NULL);
    g_assert_cmpuint (total_of (counts), ==, before);
    g_object_set (record, "service-code", "UR-02", NULL);
    g_assert_cmpuint (total_of (counts), ==, before + 1);
    g_assert_cmpstr (kac_record_get_service_code (record), ==, "UR-02");
  }
}

static void
test_copy (void)
{
  g_autoptr(KacRecord) record = make_application ();
  g_autoptr(KacRecord) copy = NULL;
  g_autoptr(GDateTime) later = g_date_time_add_minutes (kac_record_get_created_at (record), 5);

  kac_record_set_channel (record, KAC_CHANNEL_POST);
  kac_record_set_updated_at (record, later);
  kac_record_set_state (record, KAC_RECORD_STATE_REJECTED);
  kac_record_set_state_detail (record, "Nepilnīgs iesniegums");
  kac_record_set_central_number (record, "VPVKAC-2024-000123");

  copy = kac_record_copy (record);
  g_assert_true (copy != record);
  kac_test_assert_records_equal (record, copy);

  /* A copy is independent of its original. */
  kac_record_set_notes (copy, "changed");
  g_assert_cmpstr (kac_record_get_notes (record), ==, "Iesniegums par pabalstu.");
}

static void
test_masked_code (void)
{
  g_autoptr(KacRecord) record = make_application ();
  g_autoptr(KacRecord) empty = kac_record_new (KAC_RECORD_KIND_INFORMATION);
  g_autofree char *masked = kac_record_dup_masked_client_code (record);
  g_autofree char *none = kac_record_dup_masked_client_code (empty);

  g_assert_cmpstr (masked, ==, "161175-*****");
  g_assert_cmpstr (none, ==, "");
}

static void
test_validate_valid (void)
{
  g_autoptr(KacRecord) record = make_application ();
  g_autoptr(GError) error = NULL;

  g_assert_true (kac_record_validate (record, NULL, &error));
  g_assert_no_error (error);
}

static void
test_validate_service (void)
{
  g_autoptr(GError) error = NULL;

  /* Required: an application and information need a service. */
  {
    g_autoptr(KacRecord) record = make_application ();

    kac_record_set_service (record, NULL);
    g_assert_false (kac_record_validate (record, NULL, &error));
    g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_SERVICE);
    g_assert_cmpstr (error->message, ==,
                     "Choose a service; it is required for “Application for a service”.");
    g_clear_error (&error);

    kac_record_set_kind (record, KAC_RECORD_KIND_INFORMATION);
    g_assert_false (kac_record_validate (record, NULL, &error));
    g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_SERVICE);
    g_clear_error (&error);

    /* Blank is the same as missing. */
    kac_record_set_kind (record, KAC_RECORD_KIND_APPLICATION);
    g_object_set (record, "service-code", "  ", NULL);
    g_assert_false (kac_record_validate (record, NULL, &error));
    g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_SERVICE);
    g_clear_error (&error);
  }

  /* Optional: a consultation on e-services may go without one. */
  {
    g_autoptr(KacRecord) record = kac_record_new (KAC_RECORD_KIND_CONSULTATION_ESERVICES);

    g_assert_true (kac_record_validate (record, NULL, &error));
    g_assert_no_error (error);
  }

  /* None: a stray service is neither rejected nor dropped by validation. */
  {
    g_autoptr(KacRecord) record = kac_record_new (KAC_RECORD_KIND_CONSULTATION_EADDRESS);
    g_autoptr(KacService) service = kac_test_make_service ();

    kac_record_set_service (record, service);
    g_assert_true (kac_record_validate (record, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (kac_record_get_service_code (record), ==, "VSAA-01");
  }
}

static void
test_validate_catalog (void)
{
  g_autoptr(KacCatalog) catalog = kac_catalog_new_sample ();
  g_autoptr(KacService) current = g_list_model_get_item (G_LIST_MODEL (catalog), 0);
  g_autoptr(KacRecord) record = make_application ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (current);

  /* A service from an old catalogue passes without a catalogue… */
  g_object_set (record,
                "service-code", "OLD-99",
                "institution-code", "VSAA",
                "service-name", "Atcelts pakalpojums",
                NULL);
  g_assert_nonnull (catalog);
  g_assert_null (kac_catalog_lookup (catalog, "OLD-99"));
  g_assert_true (kac_record_validate (record, NULL, &error));
  g_assert_no_error (error);

  /* …and is refused with one, by name and code. */
  g_assert_false (kac_record_validate (record, catalog, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_SERVICE);
  g_assert_cmpstr (error->message, ==,
                   "The service “Atcelts pakalpojums” (OLD-99) is no longer in the catalogue. "
                   "Choose a current service.");
  g_clear_error (&error);

  /* Without a stored name the code stands in for it. */
  g_object_set (record, "service-name", NULL, NULL);
  g_assert_false (kac_record_validate (record, catalog, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_SERVICE);
  g_assert_nonnull (strstr (error->message, "“OLD-99” (OLD-99)"));
  g_clear_error (&error);

  kac_record_set_service (record, current);
  g_assert_true (kac_record_validate (record, catalog, &error));
  g_assert_no_error (error);
}

static void
test_validate_client_name (void)
{
  g_autoptr(KacRecord) record = make_application ();
  g_autoptr(GError) error = NULL;
  g_autofree char *at_limit = kac_test_repeat_utf8 ("ā", KAC_RECORD_CLIENT_NAME_MAX_CHARS);
  g_autofree char *over_limit = kac_test_repeat_utf8 ("ā", KAC_RECORD_CLIENT_NAME_MAX_CHARS + 1);

  kac_record_set_client_name (record, NULL);
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_NAME);
  g_assert_cmpstr (error->message, ==,
                   "Enter the client’s name; it is required for “Application for a service”.");
  g_clear_error (&error);

  kac_record_set_client_name (record, " \t ");
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_NAME);
  g_clear_error (&error);

  /* Characters, not bytes: 200 "ā" are 400 bytes and still fit. */
  kac_record_set_client_name (record, at_limit);
  g_assert_true (kac_record_validate (record, NULL, &error));
  g_assert_no_error (error);

  kac_record_set_client_name (record, over_limit);
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_NAME);
  g_assert_cmpstr (error->message, ==, "The client’s name is 201 characters long; the limit is 200.");
  g_clear_error (&error);

  kac_record_set_client_name (record, "Bad \xff byte");
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_NAME);
  g_clear_error (&error);

  /* Optional for a question: none is fine, too long is not. */
  kac_record_set_kind (record, KAC_RECORD_KIND_QUESTION);
  kac_record_set_client_name (record, NULL);
  g_assert_true (kac_record_validate (record, NULL, &error));
  g_assert_no_error (error);
  kac_record_set_client_name (record, over_limit);
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_NAME);
  g_clear_error (&error);
}

static void
test_validate_client_code (void)
{
  g_autoptr(KacRecord) record = make_application ();
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) code_error = NULL;

  kac_record_set_client_code (record, NULL);
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_CODE);
  g_assert_cmpstr (error->message, ==,
                   "Enter the client’s personal code; it is required for “Application for a service”.");
  g_clear_error (&error);

  kac_record_set_client_code (record, "   ");
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_CODE);
  g_clear_error (&error);

  /* An impossible code: the personal-code module's precise message reaches the clerk. */
  kac_record_set_client_code (record, "161375-19997");
  g_assert_false (kac_personal_code_validate ("161375-19997", NULL, NULL, &code_error));
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_CODE);
  g_assert_cmpstr (error->message, ==, code_error->message);
  g_assert_cmpstr (kac_record_get_client_code (record), ==, "161375-19997");
  g_clear_error (&error);

  /* A valid code typed without the hyphen is normalised in place, with one notification. */
  g_signal_connect (record, "notify", G_CALLBACK (count_notify_cb), counts);
  kac_record_set_client_code (record, "16117519997");
  g_assert_true (kac_record_validate (record, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kac_record_get_client_code (record), ==, "161175-19997");
  g_assert_cmpuint (count_of (counts, "client-code"), ==, 2);

  /* Already normalised: validation changes nothing and notifies nothing. */
  g_assert_true (kac_record_validate (record, NULL, &error));
  g_assert_cmpuint (count_of (counts, "client-code"), ==, 2);

  /* Optional kinds: absent is fine, a given code must be valid. */
  kac_record_set_kind (record, KAC_RECORD_KIND_COMPLAINT);
  kac_record_set_client_name (record, NULL);
  kac_record_set_client_code (record, NULL);
  g_assert_true (kac_record_validate (record, NULL, &error));
  g_assert_no_error (error);

  kac_record_set_client_code (record, "280638-19407");
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_CODE);
  g_clear_error (&error);

  kac_record_set_client_code (record, " 32345612345 ");
  g_assert_true (kac_record_validate (record, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kac_record_get_client_code (record), ==, "323456-12345");
}

static void
test_validate_notes (void)
{
  g_autoptr(KacRecord) record = make_application ();
  g_autoptr(GError) error = NULL;
  g_autofree char *at_limit = kac_test_repeat_utf8 ("ē", KAC_RECORD_NOTES_MAX_CHARS);
  g_autofree char *over_limit = kac_test_repeat_utf8 ("ē", 4213);

  kac_record_set_notes (record, at_limit);
  g_assert_true (kac_record_validate (record, NULL, &error));
  g_assert_no_error (error);

  kac_record_set_notes (record, over_limit);
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_NOTES);
  g_assert_cmpstr (error->message, ==, "The notes are 4,213 characters long; the limit is 4,000.");
  g_clear_error (&error);

  kac_record_set_notes (record, "ok \xc3");
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_NOTES);
  g_clear_error (&error);

  kac_record_set_notes (record, NULL);
  g_assert_true (kac_record_validate (record, NULL, &error));
  g_assert_no_error (error);
}

static void
test_validate_satisfaction (void)
{
  g_autoptr(KacRecord) record = make_application ();
  g_autoptr(GError) error = NULL;
  const int good[] = { 0, 1, 3, 5 };
  const int bad[] = { -1, 6, 100 };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      kac_record_set_satisfaction (record, good[i]);
      g_assert_true (kac_record_validate (record, NULL, &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      kac_record_set_satisfaction (record, bad[i]);
      g_assert_false (kac_record_validate (record, NULL, &error));
      g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_SATISFACTION);
      g_clear_error (&error);
    }

  kac_record_set_satisfaction (record, 6);
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "The client’s satisfaction must be from 1 to 5, or not asked (it is 6).");
}

static void
test_validate_form_order (void)
{
  g_autoptr(KacRecord) record = make_application ();
  g_autoptr(GError) error = NULL;
  g_autofree char *long_notes = kac_test_repeat_utf8 ("x", KAC_RECORD_NOTES_MAX_CHARS + 1);

  /* Everything wrong at once: the first field in the form is reported, then the next. */
  kac_record_set_service (record, NULL);
  kac_record_set_client_name (record, NULL);
  kac_record_set_client_code (record, "bad");
  kac_record_set_notes (record, long_notes);
  kac_record_set_satisfaction (record, 9);

  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_SERVICE);
  g_clear_error (&error);

  g_object_set (record, "service-code", "VSAA-01", NULL);
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_NAME);
  g_clear_error (&error);

  kac_record_set_client_name (record, "Anna");
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_CODE);
  g_clear_error (&error);

  kac_record_set_client_code (record, "180565-05610");
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_NOTES);
  g_clear_error (&error);

  kac_record_set_notes (record, NULL);
  g_assert_false (kac_record_validate (record, NULL, &error));
  g_assert_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_SATISFACTION);
  g_clear_error (&error);

  kac_record_set_satisfaction (record, 2);
  g_assert_true (kac_record_validate (record, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/record/new", test_new);
  g_test_add_func ("/record/construct-properties", test_construct_properties);
  g_test_add_func ("/record/notify", test_notify);
  g_test_add_func ("/record/copy", test_copy);
  g_test_add_func ("/record/masked-code", test_masked_code);
  g_test_add_func ("/record/validate/valid", test_validate_valid);
  g_test_add_func ("/record/validate/service", test_validate_service);
  g_test_add_func ("/record/validate/catalog", test_validate_catalog);
  g_test_add_func ("/record/validate/client-name", test_validate_client_name);
  g_test_add_func ("/record/validate/client-code", test_validate_client_code);
  g_test_add_func ("/record/validate/notes", test_validate_notes);
  g_test_add_func ("/record/validate/satisfaction", test_validate_satisfaction);
  g_test_add_func ("/record/validate/form-order", test_validate_form_order);

  return g_test_run ();
}
