/* test-wire.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The JSON wire format: round trips of every document and every way a decoder must refuse
 * input it cannot trust.
 */
#define G_LOG_DOMAIN "test-wire"

#include "config.h"

#include <string.h>

#include "kac-test-util.h"
#include "kac-wire.h"

#define UUID_A "6f1c1b8e-3a55-4f7c-9d0e-1f2a3b4c5d6e"
#define UUID_B "0a2b4c6d-8e0f-4a1b-9c3d-5e7f90a1b2c3"

static KacRecord *
make_record (void)
{
  g_autoptr(GDateTime) created_at = g_date_time_new_utc (2026, 3, 2, 9, 15, 7.123456);

  return g_object_new (KAC_TYPE_RECORD,
                       "uuid", UUID_A,
                       "kind", KAC_RECORD_KIND_APPLICATION,
                       "service-code", "VSAA-01",
                       "institution-code", "VSAA",
                       "service-name", "Not sent",
                       "channel", KAC_CHANNEL_PHONE,
                       "client-name", "Jānis Bērziņš",
                       "client-code", "161175-19997",
                       "notes", "Line one\nline “two” \\ \"quoted\"",
                       "satisfaction", 4,
                       "created-at", created_at,
                       "clerk", "anna",
                       "centre-id", "riga-1",
                       "state", KAC_RECORD_STATE_REJECTED,
                       "central-number", "KAC-2026-000001",
                       NULL);
}

static void
test_record_round_trip (void)
{
  g_autoptr(KacRecord) record = make_record ();
  g_autofree char *body = kac_wire_encode_record (record);
  g_autoptr(GError) error = NULL;
  g_autoptr(KacRecord) decoded = NULL;
  g_autofree char *again = NULL;

  /* The canonical body: fixed member order, UTC with microseconds, no local fields. */
  g_assert_true (g_str_has_prefix (body, "{\"uuid\":\"" UUID_A "\",\"kind\":\"application\","
                                         "\"service_code\":\"VSAA-01\",\"institution_code\":\"VSAA\","
                                         "\"channel\":\"phone\",\"client\":{\"name\":"));
  g_assert_nonnull (strstr (body, "\"created_at\":\"2026-03-02T09:15:07.123456Z\""));
  g_assert_null (strstr (body, "Not sent"));
  g_assert_null (strstr (body, "KAC-2026"));
  g_assert_null (strstr (body, "rejected"));

  decoded = kac_wire_decode_record (body, strlen (body), &error);
  g_assert_no_error (error);
  kac_test_assert_wire_fields_equal (record, decoded);
  g_assert_cmpint (kac_record_get_state (decoded), ==, KAC_RECORD_STATE_QUEUED);
  g_assert_null (kac_record_get_central_number (decoded));

  again = kac_wire_encode_record (decoded);
  g_assert_cmpstr (body, ==, again);
}

static void
test_record_minimal (void)
{
  g_autoptr(GDateTime) created_at = g_date_time_new_utc (2026, 1, 5, 12, 0, 0);
  g_autoptr(KacRecord) record = g_object_new (KAC_TYPE_RECORD,
                                              "uuid", UUID_B,
                                              "kind", KAC_RECORD_KIND_INFORMATION,
                                              "created-at", created_at,
                                              "centre-id", "c",
                                              NULL);
  g_autofree char *body = kac_wire_encode_record (record);
  g_autoptr(KacRecord) decoded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (strstr (body, "\"client\":null"));
  g_assert_nonnull (strstr (body, "\"satisfaction\":null"));
  g_assert_nonnull (strstr (body, "\"created_at\":\"2026-01-05T12:00:00.000000Z\""));

  decoded = kac_wire_decode_record (body, strlen (body), &error);
  g_assert_no_error (error);
  kac_test_assert_wire_fields_equal (record, decoded);
}

/* Other member order, spacing, another zone and unknown members: the same record, the same
 * hash, because the hash is over the canonical re-encoding. */
static void
test_record_hash_canonical (void)
{
  g_autoptr(KacRecord) record = make_record ();
  g_autofree char *hash = kac_wire_record_hash (record);
  const char *other =
    "{ \"centre_id\": \"riga-1\", \"clerk\": \"anna\", \"future_member\": [1, {\"x\": 2}],\n"
    "  \"created_at\": \"2026-03-02T11:15:07.123456+02:00\", \"satisfaction\": 4,\n"
    "  \"notes\": \"Line one\\nline \\u201ctwo\\u201d \\\\ \\\"quoted\\\"\",\n"
    "  \"client\": {\"personal_code\": \"161175-19997\", \"name\": \"J\\u0101nis B\\u0113rzi\\u0146\\u0161\", \"extra\": true},\n"
    "  \"channel\": \"phone\", \"institution_code\": \"VSAA\", \"service_code\": \"VSAA-01\",\n"
    "  \"kind\": \"application\", \"uuid\": \"" UUID_A "\" }";
  g_autoptr(GError) error = NULL;
  g_autoptr(KacRecord) decoded = kac_wire_decode_record (other, strlen (other), &error);
  g_autofree char *other_hash = NULL;
  g_autofree char *changed_hash = NULL;

  g_assert_no_error (error);
  other_hash = kac_wire_record_hash (decoded);
  g_assert_cmpstr (hash, ==, other_hash);
  g_assert_cmpuint (strlen (hash), ==, 64);

  kac_record_set_notes (decoded, "Something else");
  changed_hash = kac_wire_record_hash (decoded);
  g_assert_cmpstr (hash, !=, changed_hash);
}

typedef struct
{
  const char   *body;
  KacWireError  code;
  const char   *field;
} BadRecord;

#define REC(kind, rest) \
  "{\"uuid\":\"" UUID_A "\",\"kind\":" kind ",\"channel\":\"post\"," \
  "\"created_at\":\"2026-03-02T09:15:07Z\",\"centre_id\":\"c\"" rest "}"

static void
test_record_malformed (void)
{
  g_autofree char *long_code = g_strnfill (KAC_WIRE_SHORT_MAX_BYTES + 1, 'A');
  g_autofree char *long_notes = g_strnfill (KAC_WIRE_TEXT_MAX_BYTES + 1, 'n');
  g_autofree char *long_name = g_strnfill (KAC_WIRE_NAME_MAX_BYTES + 1, 'x');
  g_autofree char *too_long_code = g_strdup_printf (REC ("\"information\"", ",\"service_code\":\"%s\""), long_code);
  g_autofree char *too_long_notes = g_strdup_printf (REC ("\"information\"", ",\"notes\":\"%s\""), long_notes);
  g_autofree char *too_long_name = g_strdup_printf (REC ("\"information\"", ",\"client\":{\"name\":\"%s\"}"), long_name);
  const BadRecord cases[] = {
    { "{\"kind\":\"information\"}", KAC_WIRE_ERROR_MISSING, "uuid" },
    { "{\"uuid\":42}", KAC_WIRE_ERROR_TYPE, "uuid" },
    { "{\"uuid\":\"not-a-uuid\"}", KAC_WIRE_ERROR_VALUE, "uuid" },
    { "{\"uuid\":\"\"}", KAC_WIRE_ERROR_VALUE, "uuid" },
    { REC ("\"teleportation\"", ""), KAC_WIRE_ERROR_VALUE, "kind" },
    { REC ("7", ""), KAC_WIRE_ERROR_TYPE, "kind" },
    { REC ("null", ""), KAC_WIRE_ERROR_MISSING, "kind" },
    { REC ("\"information\"", ",\"channel\":\"pigeon\""), KAC_WIRE_ERROR_VALUE, "channel" },
    { REC ("\"information\"", ",\"channel\":[]"), KAC_WIRE_ERROR_TYPE, "channel" },
    { REC ("\"information\"", ",\"service_code\":{}"), KAC_WIRE_ERROR_TYPE, "service_code" },
    { REC ("\"information\"", ",\"institution_code\":true"), KAC_WIRE_ERROR_TYPE, "institution_code" },
    { REC ("\"information\"", ",\"client\":\"Jānis\""), KAC_WIRE_ERROR_TYPE, "client" },
    { REC ("\"information\"", ",\"client\":{\"name\":1}"), KAC_WIRE_ERROR_TYPE, "client.name" },
    { REC ("\"information\"", ",\"client\":{\"personal_code\":161175}"), KAC_WIRE_ERROR_TYPE, "client.personal_code" },
    { REC ("\"information\"", ",\"notes\":[\"a\"]"), KAC_WIRE_ERROR_TYPE, "notes" },
    { REC ("\"information\"", ",\"satisfaction\":\"5\""), KAC_WIRE_ERROR_TYPE, "satisfaction" },
    { REC ("\"information\"", ",\"satisfaction\":4.0"), KAC_WIRE_ERROR_TYPE, "satisfaction" },
    { REC ("\"information\"", ",\"satisfaction\":99999999999"), KAC_WIRE_ERROR_VALUE, "satisfaction" },
    { REC ("\"information\"", ",\"created_at\":\"yesterday\""), KAC_WIRE_ERROR_VALUE, "created_at" },
    { REC ("\"information\"", ",\"created_at\":\"2026-03-02T09:15:07\""), KAC_WIRE_ERROR_VALUE, "created_at" },
    { REC ("\"information\"", ",\"created_at\":1700000000"), KAC_WIRE_ERROR_TYPE, "created_at" },
    { REC ("\"information\"", ",\"clerk\":5"), KAC_WIRE_ERROR_TYPE, "clerk" },
    { REC ("\"information\"", ",\"centre_id\":null"), KAC_WIRE_ERROR_MISSING, "centre_id" },
    { REC ("\"information\"", ",\"centre_id\":\"\""), KAC_WIRE_ERROR_VALUE, "centre_id" },
    { too_long_code, KAC_WIRE_ERROR_TOO_LARGE, "service_code" },
    { too_long_notes, KAC_WIRE_ERROR_TOO_LARGE, "notes" },
    { too_long_name, KAC_WIRE_ERROR_TOO_LARGE, "client.name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(KacRecord) record = NULL;
      g_autofree char *field = NULL;

      /* Later members override earlier ones in json-glib, so REC (…, ",\"channel\":…") puts
       * the faulty value in place. */
      g_test_message ("case %u", i);
      g_assert_true (json_parser_load_from_data (parser, cases[i].body, -1, NULL));
      record = kac_wire_record_from_node (json_parser_get_root (parser), &field, &error);
      g_assert_null (record);
      g_assert_error (error, KAC_WIRE_ERROR, (int) cases[i].code);
      g_assert_cmpstr (field, ==, cases[i].field);

      /* The same through the byte decoder. */
      g_clear_error (&error);
      record = kac_wire_decode_record (cases[i].body, strlen (cases[i].body), &error);
      g_assert_null (record);
      g_assert_error (error, KAC_WIRE_ERROR, (int) cases[i].code);
    }
}

static void
test_document_malformed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = NULL;
  g_autofree char *huge = NULL;
  GString *nest = g_string_new ("{\"records\":");
  const char invalid_utf8[] = "{\"records\":[\"\xff\xfe\"]}";
  const char with_nul[] = "{\"records\":[]}\0garbage";
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(KacRecord) record = NULL;

  /* Not JSON, not an object, empty. */
  items = kac_wire_decode_batch_request ("{\"records\": [", 13, &error);
  g_assert_null (items);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX);
  g_clear_error (&error);

  items = kac_wire_decode_batch_request ("[1,2]", 5, &error);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX);
  g_clear_error (&error);

  items = kac_wire_decode_batch_request ("\"text\"", 6, &error);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX);
  g_clear_error (&error);

  items = kac_wire_decode_batch_request ("", 0, &error);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX);
  g_clear_error (&error);

  items = kac_wire_decode_batch_request (NULL, 0, &error);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX);
  g_clear_error (&error);

  items = kac_wire_decode_batch_request (invalid_utf8, sizeof invalid_utf8 - 1, &error);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX);
  g_clear_error (&error);

  items = kac_wire_decode_batch_request (with_nul, sizeof with_nul - 1, &error);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX);
  g_clear_error (&error);

  /* Missing or mistyped "records". */
  items = kac_wire_decode_batch_request ("{}", 2, &error);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_MISSING);
  g_clear_error (&error);

  items = kac_wire_decode_batch_request ("{\"records\":{}}", 14, &error);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TYPE);
  g_clear_error (&error);

  /* An item that is not an object, or has no usable uuid, breaks the whole request: no
   * answer could name it. */
  items = kac_wire_decode_batch_request ("{\"records\":[7]}", 15, &error);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TYPE);
  g_clear_error (&error);

  items = kac_wire_decode_batch_request ("{\"records\":[{\"uuid\":\"x\"}]}", 26, &error);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE);
  g_clear_error (&error);

  /* Nesting deep enough to exhaust a recursive parser's stack is refused before parsing. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (nest, '[');
  deep = g_string_free (nest, FALSE);
  items = kac_wire_decode_batch_request (deep, strlen (deep), &error);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* Brackets inside strings do not count as nesting. */
  {
    const char *text = "{\"records\":[],\"x\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[\"}";

    items = kac_wire_decode_batch_request (text, strlen (text), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (items->len, ==, 0);
    g_clear_pointer (&items, g_ptr_array_unref);
  }

  /* Over the body limit. */
  huge = g_malloc (KAC_WIRE_BODY_MAX_BYTES + 2);
  memset (huge, ' ', KAC_WIRE_BODY_MAX_BYTES + 1);
  huge[KAC_WIRE_BODY_MAX_BYTES + 1] = '\0';
  items = kac_wire_decode_batch_request (huge, KAC_WIRE_BODY_MAX_BYTES + 1, &error);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  record = kac_wire_decode_record ("[]", 2, &error);
  g_assert_null (record);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX);
}

static void
test_batch_request (void)
{
  g_autoptr(KacRecord) good = make_record ();
  g_autofree char *good_body = kac_wire_encode_record (good);
  const char *bad_body = "{\"uuid\":\"" UUID_B "\",\"kind\":\"application\",\"channel\":\"fax\","
                         "\"created_at\":\"2026-03-02T09:15:07Z\",\"centre_id\":\"c\"}";
  const char *bodies[] = { good_body, bad_body };
  g_autoptr(GBytes) request = kac_wire_encode_batch_request (bodies, 2);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  KacWireBatchItem *item;
  gsize length;
  const char *data = g_bytes_get_data (request, &length);

  /* The bodies go out byte for byte. */
  g_assert_nonnull (g_strstr_len (data, length, good_body));

  items = kac_wire_decode_batch_request (data, length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);

  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (item->uuid, ==, UUID_A);
  g_assert_nonnull (item->record);
  g_assert_null (item->error);
  g_assert_null (item->field);
  kac_test_assert_wire_fields_equal (good, item->record);

  item = g_ptr_array_index (items, 1);
  g_assert_cmpstr (item->uuid, ==, UUID_B);
  g_assert_null (item->record);
  g_assert_error (item->error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE);
  g_assert_cmpstr (item->field, ==, "channel");
}

static void
test_batch_request_limits (void)
{
  GString *text = g_string_new ("{\"records\":[");
  g_autofree char *data = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) empty = kac_wire_encode_batch_request (NULL, 0);

  for (guint i = 0; i <= KAC_WIRE_BATCH_MAX_RECORDS; i++)
    g_string_append_printf (text, "%s{\"uuid\":\"%08x-0000-4000-8000-000000000000\"}",
                            i > 0 ? "," : "", i);
  g_string_append (text, "]}");
  data = g_string_free (text, FALSE);

  items = kac_wire_decode_batch_request (data, strlen (data), &error);
  g_assert_null (items);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  items = kac_wire_decode_batch_request (g_bytes_get_data (empty, NULL), g_bytes_get_size (empty),
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 0);
}

static void
test_batch_response (void)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_wire_item_result_free);
  g_autoptr(GPtrArray) decoded = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  KacWireItemResult *result;

  result = kac_wire_item_result_new (UUID_A, KAC_WIRE_ITEM_ACCEPTED);
  result->central_number = g_strdup ("KAC-2026-000123");
  result->replay = TRUE;
  g_ptr_array_add (results, result);
  result = kac_wire_item_result_new (UUID_B, KAC_WIRE_ITEM_REJECTED);
  result->code = g_strdup ("invalid-record");
  result->title = g_strdup ("Enter the client’s personal code.");
  result->field = g_strdup ("client.personal_code");
  g_ptr_array_add (results, result);
  g_ptr_array_add (results, kac_wire_item_result_copy (g_ptr_array_index (results, 0)));
  ((KacWireItemResult *) g_ptr_array_index (results, 2))->status = KAC_WIRE_ITEM_DUPLICATE;

  bytes = kac_wire_encode_batch_response (results);
  decoded = kac_wire_decode_batch_response (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                            &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decoded->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      KacWireItemResult *a = g_ptr_array_index (results, i);
      KacWireItemResult *b = g_ptr_array_index (decoded, i);

      g_assert_cmpstr (a->uuid, ==, b->uuid);
      g_assert_cmpint (a->status, ==, b->status);
      g_assert_cmpstr (a->central_number, ==, b->central_number);
      g_assert_cmpint (a->replay, ==, b->replay);
      g_assert_cmpstr (a->code, ==, b->code);
      g_assert_cmpstr (a->title, ==, b->title);
      g_assert_cmpstr (a->field, ==, b->field);
    }
}

static void
test_batch_response_malformed (void)
{
  const char *cases[] = {
    "{}",
    "{\"results\":[1]}",
    "{\"results\":[{\"status\":\"accepted\",\"central_number\":\"K\"}]}",
    "{\"results\":[{\"uuid\":\"" UUID_A "\",\"status\":\"maybe\",\"central_number\":\"K\"}]}",
    "{\"results\":[{\"uuid\":\"" UUID_A "\",\"status\":\"accepted\"}]}",
    "{\"results\":[{\"uuid\":\"" UUID_A "\",\"status\":\"rejected\"}]}",
    "{\"results\":[{\"uuid\":\"" UUID_A "\",\"status\":\"accepted\",\"central_number\":\"K\",\"replay\":\"yes\"}]}",
    "{\"results\":[{\"uuid\":\"" UUID_A "\",\"status\":\"conflict\",\"code\":12}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) decoded = kac_wire_decode_batch_response (cases[i], strlen (cases[i]), &error);

      g_test_message ("case %u", i);
      g_assert_null (decoded);
      g_assert_error (error, KAC_WIRE_ERROR, error->code);
    }
}

static void
test_problem (void)
{
  g_autoptr(KacWireProblem) problem = kac_wire_problem_new (400, "invalid-json", "The request could not be read.",
                                                            "Detail for the log.", FALSE);
  g_autoptr(KacWireProblem) decoded = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  KacWireFieldError *field_error;
  const char *cases[] = {
    "{\"status\":400,\"code\":\"x\",\"retryable\":false}",
    "{\"title\":\"t\",\"status\":\"400\",\"code\":\"x\",\"retryable\":false}",
    "{\"title\":\"t\",\"status\":200,\"code\":\"x\",\"retryable\":false}",
    "{\"title\":\"t\",\"status\":400,\"retryable\":false}",
    "{\"title\":\"t\",\"status\":400,\"code\":\"x\"}",
    "{\"title\":\"t\",\"status\":400,\"code\":\"x\",\"retryable\":false,\"errors\":{}}",
    "{\"title\":\"t\",\"status\":400,\"code\":\"x\",\"retryable\":false,\"errors\":[{\"field\":\"a\"}]}",
    "{\"title\":\"t\",\"status\":400,\"code\":\"x\",\"retryable\":false,\"errors\":[\"a\"]}",
  };

  kac_wire_problem_add_error (problem, "client.personal_code", "The check digit does not match.");
  bytes = kac_wire_encode_problem (problem);
  decoded = kac_wire_decode_problem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (decoded->type, ==, "urn:kac:problem:invalid-json");
  g_assert_cmpstr (decoded->title, ==, problem->title);
  g_assert_cmpuint (decoded->status, ==, 400);
  g_assert_cmpstr (decoded->detail, ==, problem->detail);
  g_assert_cmpstr (decoded->code, ==, "invalid-json");
  g_assert_false (decoded->retryable);
  g_assert_cmpuint (decoded->errors->len, ==, 1);
  field_error = g_ptr_array_index (decoded->errors, 0);
  g_assert_cmpstr (field_error->field, ==, "client.personal_code");
  g_assert_cmpstr (field_error->message, ==, "The check digit does not match.");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KacWireProblem) bad = NULL;

      g_clear_error (&error);
      bad = kac_wire_decode_problem (cases[i], strlen (cases[i]), &error);
      g_test_message ("case %u", i);
      g_assert_null (bad);
      g_assert_nonnull (error);
      g_assert_true (error->domain == KAC_WIRE_ERROR);
    }
}

static void
test_changes_page (void)
{
  g_autoptr(KacWireChangesPage) page = kac_wire_changes_page_new ();
  g_autoptr(KacWireChangesPage) decoded = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 3, 3, 10, 0, 0.5);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  KacWireChange *change;
  const char *cases[] = {
    "{\"changes\":[],\"more\":false}",
    "{\"changes\":[],\"cursor\":\"a.1\"}",
    "{\"changes\":{},\"cursor\":\"a.1\",\"more\":false}",
    "{\"changes\":[{\"uuid\":\"" UUID_A "\",\"central_number\":\"K\",\"status\":\"lost\",\"changed_at\":\"2026-03-03T10:00:00Z\"}],\"cursor\":\"a.1\",\"more\":false}",
    "{\"changes\":[{\"uuid\":\"" UUID_A "\",\"central_number\":\"K\",\"status\":\"forwarded\",\"changed_at\":\"2026-03-03T10:00:00Z\",\"due_date\":\"2026-02-30\"}],\"cursor\":\"a.1\",\"more\":false}",
    "{\"changes\":[{\"uuid\":\"" UUID_A "\",\"central_number\":\"K\",\"status\":\"forwarded\",\"changed_at\":\"2026-03-03T10:00:00Z\",\"due_date\":\"20260301\"}],\"cursor\":\"a.1\",\"more\":false}",
    "{\"changes\":[{\"uuid\":\"" UUID_A "\",\"status\":\"forwarded\",\"changed_at\":\"2026-03-03T10:00:00Z\"}],\"cursor\":\"a.1\",\"more\":false}",
    "{\"changes\":[{\"uuid\":\"" UUID_A "\",\"central_number\":\"K\",\"status\":\"forwarded\",\"changed_at\":\"later\"}],\"cursor\":\"a.1\",\"more\":false}",
    "{\"changes\":[null],\"cursor\":\"a.1\",\"more\":false}",
  };

  kac_wire_changes_page_add (page, UUID_A, "KAC-2026-000001", KAC_APPLICATION_STATUS_FORWARDED,
                             when, "2026-03-20");
  kac_wire_changes_page_add (page, UUID_B, "KAC-2026-000002", KAC_APPLICATION_STATUS_COMPLETED,
                             when, NULL);
  page->cursor = g_strdup ("0123abcd.42");
  page->more = TRUE;

  bytes = kac_wire_encode_changes_page (page);
  decoded = kac_wire_decode_changes_page (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpstr (decoded->cursor, ==, "0123abcd.42");
  g_assert_true (decoded->more);
  g_assert_cmpuint (decoded->changes->len, ==, 2);
  change = g_ptr_array_index (decoded->changes, 0);
  g_assert_cmpstr (change->uuid, ==, UUID_A);
  g_assert_cmpstr (change->central_number, ==, "KAC-2026-000001");
  g_assert_cmpint (change->status, ==, KAC_APPLICATION_STATUS_FORWARDED);
  g_assert_true (g_date_time_equal (change->changed_at, when));
  g_assert_cmpstr (change->due_date, ==, "2026-03-20");
  change = g_ptr_array_index (decoded->changes, 1);
  g_assert_cmpint (change->status, ==, KAC_APPLICATION_STATUS_COMPLETED);
  g_assert_null (change->due_date);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KacWireChangesPage) bad = NULL;

      g_clear_error (&error);
      bad = kac_wire_decode_changes_page (cases[i], strlen (cases[i]), &error);
      g_test_message ("case %u", i);
      g_assert_null (bad);
      g_assert_nonnull (error);
      g_assert_true (error->domain == KAC_WIRE_ERROR);
    }
}

static void
test_session (void)
{
  g_autoptr(KacWireSession) session = g_new0 (KacWireSession, 1);
  g_autoptr(KacWireSession) decoded = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) sign_in = kac_wire_encode_sign_in ("anna", "pa\"ss wörd");
  g_autoptr(GError) error = NULL;
  g_autofree char *username = NULL;
  g_autofree char *password = NULL;
  const char *bad_sessions[] = {
    "{\"expires_at\":\"2026-03-03T10:00:00Z\",\"user\":{\"username\":\"a\"},\"role\":\"admin\"}",
    "{\"token\":\"t\",\"expires_at\":\"soon\",\"user\":{\"username\":\"a\"},\"role\":\"admin\"}",
    "{\"token\":\"t\",\"expires_at\":\"2026-03-03T10:00:00Z\",\"user\":\"a\",\"role\":\"admin\"}",
    "{\"token\":\"t\",\"expires_at\":\"2026-03-03T10:00:00Z\",\"user\":{\"username\":\"a\"},\"role\":\"king\"}",
    "{\"token\":\"t\",\"expires_at\":\"2026-03-03T10:00:00Z\",\"user\":{\"username\":\"a\"},\"role\":\"clerk\"}",
    "{\"token\":\"t\",\"expires_at\":\"2026-03-03T10:00:00Z\",\"user\":{\"username\":\"a\"},\"role\":\"clerk\",\"centre\":{\"id\":\"c\",\"name\":\"C\",\"kind\":\"galactic\"}}",
  };

  g_assert_true (kac_wire_decode_sign_in (g_bytes_get_data (sign_in, NULL), g_bytes_get_size (sign_in),
                                          &username, &password, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (username, ==, "anna");
  g_assert_cmpstr (password, ==, "pa\"ss wörd");

  g_assert_false (kac_wire_decode_sign_in ("{\"username\":\"a\"}", 16, &username, &password, &error));
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_MISSING);
  g_clear_error (&error);
  g_assert_false (kac_wire_decode_sign_in ("{\"username\":\"a\",\"password\":1}", 29, &username, &password, &error));
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TYPE);
  g_clear_error (&error);

  session->token = g_strdup ("abcdef");
  session->expires_at = g_date_time_new_utc (2026, 3, 3, 22, 0, 0);
  session->username = g_strdup ("anna");
  session->display_name = g_strdup ("Anna Ozola");
  session->role = g_strdup ("clerk");
  session->centre_id = g_strdup ("riga-1");
  session->centre_name = g_strdup ("Rīgas VPVKAC");
  session->centre_kind = g_strdup ("national");

  bytes = kac_wire_encode_session (session);
  decoded = kac_wire_decode_session (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (decoded->token, ==, "abcdef");
  g_assert_true (g_date_time_equal (decoded->expires_at, session->expires_at));
  g_assert_cmpstr (decoded->username, ==, "anna");
  g_assert_cmpstr (decoded->display_name, ==, "Anna Ozola");
  g_assert_cmpstr (decoded->role, ==, "clerk");
  g_assert_cmpstr (decoded->centre_id, ==, "riga-1");
  g_assert_cmpstr (decoded->centre_name, ==, "Rīgas VPVKAC");
  g_assert_cmpstr (decoded->centre_kind, ==, "national");
  g_assert_null (decoded->institution);

  for (guint i = 0; i < G_N_ELEMENTS (bad_sessions); i++)
    {
      g_autoptr(KacWireSession) bad = NULL;

      bad = kac_wire_decode_session (bad_sessions[i], strlen (bad_sessions[i]), &error);
      g_test_message ("case %u", i);
      g_assert_null (bad);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
}

static void
test_status_change (void)
{
  g_autoptr(GBytes) bytes = kac_wire_encode_status_change (KAC_APPLICATION_STATUS_FORWARDED,
                                                           "2028-02-29", "Sent on");
  g_autoptr(GError) error = NULL;
  g_autofree char *due_date = NULL;
  g_autofree char *note = NULL;
  KacApplicationStatus status = KAC_APPLICATION_STATUS_REGISTERED;

  g_assert_true (kac_wire_decode_status_change (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                                &status, &due_date, &note, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, KAC_APPLICATION_STATUS_FORWARDED);
  g_assert_cmpstr (due_date, ==, "2028-02-29");
  g_assert_cmpstr (note, ==, "Sent on");

  g_assert_false (kac_wire_decode_status_change ("{\"status\":\"done\"}", 17, &status, NULL, NULL, &error));
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE);
  g_clear_error (&error);
  g_assert_false (kac_wire_decode_status_change ("{\"status\":\"completed\",\"due_date\":\"2027-02-29\"}", 46,
                                                 &status, NULL, NULL, &error));
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE);
  g_clear_error (&error);
  g_assert_false (kac_wire_decode_status_change ("{}", 2, &status, NULL, NULL, &error));
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_MISSING);
}

static void
test_names (void)
{
  for (guint i = 0; i <= KAC_APPLICATION_STATUS_COMPLETED; i++)
    {
      KacApplicationStatus status;

      g_assert_true (kac_application_status_from_string (kac_application_status_to_string (i), &status));
      g_assert_cmpuint (status, ==, i);
      g_assert_nonnull (kac_application_status_get_label (i));
    }
  g_assert_false (kac_application_status_from_string ("overdue", NULL));
  g_assert_false (kac_application_status_from_string (NULL, NULL));

  for (guint i = 0; i <= KAC_WIRE_ITEM_REJECTED; i++)
    {
      KacWireItemStatus status;

      g_assert_true (kac_wire_item_status_from_string (kac_wire_item_status_to_string (i), &status));
      g_assert_cmpuint (status, ==, i);
    }
  g_assert_false (kac_wire_item_status_from_string ("ACCEPTED", NULL));

  g_assert_true (kac_wire_date_is_valid ("2024-02-29"));
  g_assert_false (kac_wire_date_is_valid ("2023-02-29"));
  g_assert_false (kac_wire_date_is_valid ("2023-13-01"));
  g_assert_false (kac_wire_date_is_valid ("2023-1-01"));
  g_assert_false (kac_wire_date_is_valid ("0000-01-01"));
  g_assert_false (kac_wire_date_is_valid (NULL));
}

static void
test_catalog (void)
{
  g_autofree char *path = g_build_filename (TEST_FIXTURES_DIR, "..", "..", "data", "catalog",
                                            "sample-catalog.json", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) deep = NULL;
  g_autoptr(KacCatalog) catalog = NULL;
  g_autoptr(GError) error = NULL;
  GString *nest = g_string_new ("{\"institutions\":");

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  bytes = g_bytes_new (contents, length);
  catalog = kac_wire_decode_catalog (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kac_catalog_lookup (catalog, "VSAA-01"));

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (nest, '[');
  deep = g_string_free_to_bytes (nest);
  g_clear_object (&catalog);
  catalog = kac_wire_decode_catalog (deep, &error);
  g_assert_null (catalog);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE);
}

/* Inputs the fuzz targets (tests/fuzz/) found mishandled; each once crashed, leaked or broke
 * a round trip before its fix. */
static void
test_fuzz_regressions (void)
{
  static const char * const refused[] = {
    /* Two objects: json-glib 1.6 kept the last and leaked the first. */
    "{\"username\":\"a\",\"password\":\"b\"}{\"username\":\"c\",\"password\":\"d\"}",
    "{\"username\":\"a\",\"password\":\"b\"} x",
    /* Lone surrogates became text that is not UTF-8; a malformed one leaked. */
    "{\"username\":\"\\udc00\",\"password\":\"b\"}",
    "{\"username\":\"\\ud800x\",\"password\":\"b\"}",
    "{\"usernYmwor\\ud8u\\ud800l}",
    /* An escaped NUL silently cut the text short. */
    "{\"username\":\"a\\u0000b\",\"password\":\"b\"}",
    /* json-glib also took comments and some text that is not JSON, leaking on the way. */
    "{/* comment */\"username\":\"a\",\"password\":\"b\"}",
    "{\"username\":\"a\",\"password\":\"b\",}",
    "{/U{}{y}{y}{/}{}y{}{h}h{}n",
  };
  const char *valid_pair = "{\"username\":\"\\ud83d\\ude00 \\u00e9\",\"password\":\"p\"}";
  const char *year_two = "{\"uuid\":\"" UUID_A "\",\"kind\":\"information\",\"channel\":\"phone\","
                         "\"created_at\":\"0002-01-01T00:30:00+01:00\",\"centre_id\":\"x\"}";
  const char *year_zero = "{\"uuid\":\"" UUID_A "\",\"kind\":\"information\",\"channel\":\"phone\","
                          "\"created_at\":\"0001-01-01T00:30:00+01:00\",\"centre_id\":\"x\"}";
  const char *catalog_surrogate = "{\"institutions\":[{\"code\":\"A\",\"name_lv\":\"\\udc00\"}],"
                                  "\"services\":[]}";
  g_autoptr(GError) error = NULL;
  g_autofree char *username = NULL;
  g_autofree char *password = NULL;
  g_autoptr(KacRecord) record = NULL;
  g_autoptr(KacRecord) again = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GBytes) catalog_bytes = NULL;
  g_autoptr(KacCatalog) catalog = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_false (kac_wire_decode_sign_in (refused[i], strlen (refused[i]), &username,
                                               &password, &error));
      g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_clear_error (&error);
    }

  /* A proper surrogate pair is text like any other. */
  g_assert_true (kac_wire_decode_sign_in (valid_pair, strlen (valid_pair), &username, &password,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpstr (username, ==, "\xf0\x9f\x98\x80 \xc3\xa9");

  /* Year 1 in UTC: the encoding pads the year, so the body decodes again. */
  record = kac_wire_decode_record (year_two, strlen (year_two), &error);
  g_assert_no_error (error);
  body = kac_wire_encode_record (record);
  g_assert_nonnull (strstr (body, "\"created_at\":\"0001-12-31T23:30:00.000000Z\""));
  again = kac_wire_decode_record (body, strlen (body), &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (kac_record_get_created_at (again),
                                    kac_record_get_created_at (record)));

  /* Year 0 in UTC has no GDateTime: refused, not replaced by the current time. */
  g_clear_object (&record);
  record = kac_wire_decode_record (year_zero, strlen (year_zero), &error);
  g_assert_null (record);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE);
  g_clear_error (&error);

  catalog_bytes = g_bytes_new_static (catalog_surrogate, strlen (catalog_surrogate));
  catalog = kac_wire_decode_catalog (catalog_bytes, &error);
  g_assert_null (catalog);
  g_assert_error (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_SYNTAX);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wire/record/round-trip", test_record_round_trip);
  g_test_add_func ("/wire/record/minimal", test_record_minimal);
  g_test_add_func ("/wire/record/hash-canonical", test_record_hash_canonical);
  g_test_add_func ("/wire/record/malformed", test_record_malformed);
  g_test_add_func ("/wire/document/malformed", test_document_malformed);
  g_test_add_func ("/wire/batch/request", test_batch_request);
  g_test_add_func ("/wire/batch/request-limits", test_batch_request_limits);
  g_test_add_func ("/wire/batch/response", test_batch_response);
  g_test_add_func ("/wire/batch/response-malformed", test_batch_response_malformed);
  g_test_add_func ("/wire/problem", test_problem);
  g_test_add_func ("/wire/changes", test_changes_page);
  g_test_add_func ("/wire/session", test_session);
  g_test_add_func ("/wire/status-change", test_status_change);
  g_test_add_func ("/wire/names", test_names);
  g_test_add_func ("/wire/catalog", test_catalog);
  g_test_add_func ("/wire/fuzz-regressions", test_fuzz_regressions);

  return g_test_run ();
}
