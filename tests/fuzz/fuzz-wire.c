/* fuzz-wire.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The decoders of kac-wire.h on arbitrary bytes, one target per document (KAC_FUZZ_DOCUMENT
 * picks it at build time): the desk's documents as kac-central decodes them (record, batch
 * request, sign-in, status change) and kac-central's answers as the desk decodes them (batch
 * answer, problem, page of changes, session, statistics, feeds of materials and notices) and
 * the publish requests of institution users as the server decodes them.
 *
 * Invariants checked on every input, beyond "no crash, no leak, no critical":
 * - a refusal is a KAC_WIRE_ERROR with a UTF-8 message (it goes into a problem+json detail);
 * - what decodes re-encodes, the encoding decodes again, and encoding that gives the same
 *   bytes (encode ∘ decode is idempotent): nothing is lost or invented on the way, and a
 *   record's hash is stable, which is what the server's idempotency rests on.
 */
#define G_LOG_DOMAIN "fuzz-wire"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "kac-catalog.h"
#include "kac-wire.h"

#ifndef KAC_FUZZ_DOCUMENT
#error "KAC_FUZZ_DOCUMENT names the document to fuzz"
#endif

static KacCatalog *catalog;

static void
check_refusal (GError *error)
{
  KAC_FUZZ_CHECK (error != NULL);
  KAC_FUZZ_CHECK (error->domain == KAC_WIRE_ERROR);
  KAC_FUZZ_CHECK (error->message != NULL);
  KAC_FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
}

static void
check_bytes_equal (GBytes *a,
                   GBytes *b)
{
  if (b == NULL || !g_bytes_equal (a, b))
    {
      if (b == NULL)
        {
          fprintf (stderr, "  %.*s\n", (int) g_bytes_get_size (a),
                   (const char *) g_bytes_get_data (a, NULL));
          abort ();
        }
      fprintf (stderr, "re-encoding differs:\n  %.*s\n  %.*s\n",
               (int) g_bytes_get_size (a), (const char *) g_bytes_get_data (a, NULL),
               (int) g_bytes_get_size (b), (const char *) g_bytes_get_data (b, NULL));
      abort ();
    }
}

/* Records (desk → central) */

static void
check_record (KacRecord *record)
{
  g_autofree char *body = kac_wire_encode_record (record);
  g_autofree char *hash = kac_wire_record_hash (record);
  g_autoptr(KacRecord) again = NULL;
  g_autofree char *body_again = NULL;
  g_autofree char *hash_again = NULL;
  g_autoptr(GError) error = NULL;

  KAC_FUZZ_CHECK (body != NULL);
  KAC_FUZZ_CHECK (g_utf8_validate (body, -1, NULL));

  again = kac_wire_decode_record (body, strlen (body), &error);
  if (again == NULL)
    {
      fprintf (stderr, "an encoded record does not decode (%s):\n  %s\n", error->message, body);
      abort ();
    }

  body_again = kac_wire_encode_record (again);
  hash_again = kac_wire_record_hash (again);
  KAC_FUZZ_CHECK_STR (body_again, body);
  KAC_FUZZ_CHECK_STR (hash_again, hash);

  /* The server validates what it decoded; that must answer, not crash. */
  if (!kac_record_validate (again, catalog, &error))
    KAC_FUZZ_CHECK (error != NULL && g_utf8_validate (error->message, -1, NULL));
}

static void
fuzz_record (const char *data,
             gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacRecord) record = kac_wire_decode_record (data, size, &error);

  if (record == NULL)
    {
      check_refusal (error);
      return;
    }

  check_record (record);
}

static void
fuzz_batch_request (const char *data,
                    gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = kac_wire_decode_batch_request (data, size, &error);
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GBytes) batch = NULL;
  g_autoptr(GPtrArray) again = NULL;

  if (items == NULL)
    {
      check_refusal (error);
      return;
    }

  KAC_FUZZ_CHECK (items->len <= KAC_WIRE_BATCH_MAX_RECORDS);

  /* The readable items, joined again as the desk's queue joins its stored bodies. */
  bodies = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < items->len; i++)
    {
      KacWireBatchItem *item = g_ptr_array_index (items, i);

      KAC_FUZZ_CHECK (item->uuid != NULL && g_uuid_string_is_valid (item->uuid));
      if (item->record == NULL)
        {
          check_refusal (item->error);
          continue;
        }

      KAC_FUZZ_CHECK (item->error == NULL);
      KAC_FUZZ_CHECK (item->field == NULL);
      KAC_FUZZ_CHECK_STR (kac_record_get_uuid (item->record), item->uuid);
      check_record (item->record);
      g_ptr_array_add (bodies, kac_wire_encode_record (item->record));
    }

  batch = kac_wire_encode_batch_request ((const char * const *) bodies->pdata, bodies->len);
  again = kac_wire_decode_batch_request (g_bytes_get_data (batch, NULL), g_bytes_get_size (batch),
                                         &error);
  KAC_FUZZ_CHECK (again != NULL);
  KAC_FUZZ_CHECK (again->len == bodies->len);
  for (guint i = 0; i < again->len; i++)
    {
      KacWireBatchItem *item = g_ptr_array_index (again, i);
      g_autofree char *body = NULL;

      KAC_FUZZ_CHECK (item->record != NULL);
      body = kac_wire_encode_record (item->record);
      KAC_FUZZ_CHECK_STR (body, g_ptr_array_index (bodies, i));
    }
}

static void
fuzz_sign_in (const char *data,
              gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *username = NULL;
  g_autofree char *password = NULL;
  g_autofree char *username_again = NULL;
  g_autofree char *password_again = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (!kac_wire_decode_sign_in (data, size, &username, &password, &error))
    {
      check_refusal (error);
      KAC_FUZZ_CHECK (username == NULL && password == NULL);
      return;
    }

  bytes = kac_wire_encode_sign_in (username, password);
  KAC_FUZZ_CHECK (kac_wire_decode_sign_in (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                           &username_again, &password_again, NULL));
  KAC_FUZZ_CHECK_STR (username_again, username);
  KAC_FUZZ_CHECK_STR (password_again, password);
}

static void
fuzz_status_change (const char *data,
                    gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *due_date = NULL;
  g_autofree char *note = NULL;
  g_autofree char *due_date_again = NULL;
  g_autofree char *note_again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  KacApplicationStatus status, status_again;

  if (!kac_wire_decode_status_change (data, size, &status, &due_date, &note, &error))
    {
      check_refusal (error);
      return;
    }

  KAC_FUZZ_CHECK (status <= KAC_APPLICATION_STATUS_COMPLETED);
  KAC_FUZZ_CHECK (due_date == NULL || kac_wire_date_is_valid (due_date));
  KAC_FUZZ_CHECK (kac_application_status_get_label (status) != NULL);

  bytes = kac_wire_encode_status_change (status, due_date, note);
  KAC_FUZZ_CHECK (bytes != NULL);
  KAC_FUZZ_CHECK (kac_wire_decode_status_change (g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes), &status_again,
                                                 &due_date_again, &note_again, NULL));
  KAC_FUZZ_CHECK (status_again == status);
  KAC_FUZZ_CHECK_STR (due_date_again, due_date);
  KAC_FUZZ_CHECK_STR (note_again, note);
}

/* Answers (central → desk) */

static void
fuzz_batch_answer (const char *data,
                   gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = kac_wire_decode_batch_response (data, size, &error);
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bytes_again = NULL;

  if (results == NULL)
    {
      check_refusal (error);
      return;
    }

  for (guint i = 0; i < results->len; i++)
    {
      KacWireItemResult *result = g_ptr_array_index (results, i);
      g_autoptr(KacWireItemResult) copy = kac_wire_item_result_copy (result);

      KAC_FUZZ_CHECK (g_uuid_string_is_valid (result->uuid));
      KAC_FUZZ_CHECK (kac_wire_item_status_to_string (result->status) != NULL);
      /* What the desk relies on to settle or flag a queued record. */
      if (result->status == KAC_WIRE_ITEM_ACCEPTED || result->status == KAC_WIRE_ITEM_DUPLICATE)
        KAC_FUZZ_CHECK (result->central_number != NULL);
      else
        KAC_FUZZ_CHECK (result->code != NULL);
      KAC_FUZZ_CHECK_STR (copy->title, result->title);
    }

  bytes = kac_wire_encode_batch_response (results);
  again = kac_wire_decode_batch_response (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                          &error);
  KAC_FUZZ_CHECK (again != NULL);
  KAC_FUZZ_CHECK (again->len == results->len);
  bytes_again = kac_wire_encode_batch_response (again);
  check_bytes_equal (bytes, bytes_again);
}

static void
fuzz_problem (const char *data,
              gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacWireProblem) problem = kac_wire_decode_problem (data, size, &error);
  g_autoptr(KacWireProblem) again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bytes_again = NULL;

  if (problem == NULL)
    {
      check_refusal (error);
      return;
    }

  KAC_FUZZ_CHECK (problem->status >= 400 && problem->status <= 599);
  KAC_FUZZ_CHECK (problem->title != NULL && problem->code != NULL && problem->type != NULL);
  KAC_FUZZ_CHECK (problem->errors != NULL);

  bytes = kac_wire_encode_problem (problem);
  again = kac_wire_decode_problem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  KAC_FUZZ_CHECK (again != NULL);
  KAC_FUZZ_CHECK (again->status == problem->status);
  KAC_FUZZ_CHECK (again->retryable == problem->retryable);
  KAC_FUZZ_CHECK (again->errors->len == problem->errors->len);
  bytes_again = kac_wire_encode_problem (again);
  check_bytes_equal (bytes, bytes_again);
}

static void
fuzz_changes (const char *data,
              gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacWireChangesPage) page = kac_wire_decode_changes_page (data, size, &error);
  g_autoptr(KacWireChangesPage) again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bytes_again = NULL;

  if (page == NULL)
    {
      check_refusal (error);
      return;
    }

  KAC_FUZZ_CHECK (page->cursor != NULL);
  for (guint i = 0; i < page->changes->len; i++)
    {
      KacWireChange *change = g_ptr_array_index (page->changes, i);

      KAC_FUZZ_CHECK (g_uuid_string_is_valid (change->uuid));
      KAC_FUZZ_CHECK (change->central_number != NULL);
      KAC_FUZZ_CHECK (change->changed_at != NULL);
      KAC_FUZZ_CHECK (change->due_date == NULL || kac_wire_date_is_valid (change->due_date));
      KAC_FUZZ_CHECK (kac_application_status_get_label (change->status) != NULL);
    }

  bytes = kac_wire_encode_changes_page (page);
  again = kac_wire_decode_changes_page (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                        &error);
  KAC_FUZZ_CHECK (again != NULL);
  KAC_FUZZ_CHECK (again->changes->len == page->changes->len);
  KAC_FUZZ_CHECK (again->more == page->more);
  bytes_again = kac_wire_encode_changes_page (again);
  check_bytes_equal (bytes, bytes_again);
}

static void
fuzz_session (const char *data,
              gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacWireSession) session = kac_wire_decode_session (data, size, &error);
  g_autoptr(KacWireSession) again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bytes_again = NULL;

  if (session == NULL)
    {
      check_refusal (error);
      return;
    }

  KAC_FUZZ_CHECK (session->token != NULL && session->expires_at != NULL);
  KAC_FUZZ_CHECK (session->username != NULL && session->role != NULL);
  if (g_str_equal (session->role, "clerk") || g_str_equal (session->role, "manager"))
    KAC_FUZZ_CHECK (session->centre_id != NULL);

  bytes = kac_wire_encode_session (session);
  again = kac_wire_decode_session (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  KAC_FUZZ_CHECK (again != NULL);
  KAC_FUZZ_CHECK_STR (again->token, session->token);
  KAC_FUZZ_CHECK_STR (again->centre_id, session->centre_id);
  KAC_FUZZ_CHECK (g_date_time_equal (again->expires_at, session->expires_at));
  bytes_again = kac_wire_encode_session (again);
  check_bytes_equal (bytes, bytes_again);
}

/* Encodes @page as @kind's feed (materials or notices). */
typedef GBytes *(*EncodeFeed) (KacWireFeedPage *page);
typedef KacWireFeedPage *(*DecodeFeed) (const char *data, gsize length, GError **error);

static void
fuzz_feed (const char *data,
           gsize       size,
           DecodeFeed  decode,
           EncodeFeed  encode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacWireFeedPage) page = decode (data, size, &error);
  g_autoptr(KacWireFeedPage) again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bytes_again = NULL;

  if (page == NULL)
    {
      check_refusal (error);
      return;
    }

  KAC_FUZZ_CHECK (page->cursor != NULL && page->items != NULL);
  bytes = encode (page);
  again = decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  if (again == NULL)
    {
      fprintf (stderr, "an encoded feed page does not decode (%s)\n", error->message);
      check_bytes_equal (bytes, NULL);
    }
  KAC_FUZZ_CHECK (again->items->len == page->items->len);
  KAC_FUZZ_CHECK (again->more == page->more);
  bytes_again = encode (again);
  check_bytes_equal (bytes, bytes_again);
}

/* Feeds and documents of issue 4 (central → desk) */

static void
fuzz_materials_page (const char *data,
                     gsize       size)
{
  fuzz_feed (data, size, kac_wire_decode_materials_page, kac_wire_encode_materials_page);
}

static void
fuzz_notices_page (const char *data,
                   gsize       size)
{
  g_autoptr(KacWireFeedPage) page = kac_wire_decode_notices_page (data, size, NULL);

  /* What the desk shows must pass the rules of its kind. */
  for (guint i = 0; page != NULL && i < page->items->len; i++)
    {
      KacWireNotice *notice = g_ptr_array_index (page->items, i);
      g_autoptr(KacWireNotice) copy = kac_wire_notice_copy (notice);

      KAC_FUZZ_CHECK (copy->version == notice->version);
      if (!notice->deleted)
        KAC_FUZZ_CHECK (kac_notice_kind_get_label (notice->kind) != NULL);
    }

  fuzz_feed (data, size, kac_wire_decode_notices_page, kac_wire_encode_notices_page);
}

/* Publish requests (institution user → central) */

static void
fuzz_material_request (const char *data,
                       gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacWireMaterial) material = kac_wire_decode_material_request (data, size, &error);
  g_autoptr(KacWireMaterial) again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bytes_again = NULL;

  if (material == NULL)
    {
      check_refusal (error);
      return;
    }

  bytes = kac_wire_encode_material_request (material);
  again = kac_wire_decode_material_request (g_bytes_get_data (bytes, NULL),
                                            g_bytes_get_size (bytes), &error);
  KAC_FUZZ_CHECK (again != NULL);
  KAC_FUZZ_CHECK (again->attachments->len == material->attachments->len);
  bytes_again = kac_wire_encode_material_request (again);
  check_bytes_equal (bytes, bytes_again);
}

static void
fuzz_notice_request (const char *data,
                     gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacWireNotice) notice = kac_wire_decode_notice_request (data, size, &error);
  g_autoptr(KacWireNotice) again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bytes_again = NULL;

  if (notice == NULL)
    {
      check_refusal (error);
      return;
    }

  if (!kac_wire_notice_validate (notice, &error))
    KAC_FUZZ_CHECK (error != NULL && g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  bytes = kac_wire_encode_notice_request (notice);
  again = kac_wire_decode_notice_request (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                          &error);
  if (again == NULL)
    {
      fprintf (stderr, "an encoded notice request does not decode (%s)\n", error->message);
      check_bytes_equal (bytes, NULL);
    }
  KAC_FUZZ_CHECK (again->hours->len == notice->hours->len);
  bytes_again = kac_wire_encode_notice_request (again);
  check_bytes_equal (bytes, bytes_again);
}

/* Statistics (central → desk) */

static void
fuzz_stats (const char *data,
            gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacWireStats) stats = kac_wire_decode_stats (data, size, &error);
  g_autoptr(KacWireStats) again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bytes_again = NULL;

  if (stats == NULL)
    {
      check_refusal (error);
      return;
    }

  KAC_FUZZ_CHECK (stats->institutions != NULL && stats->services != NULL && stats->days != NULL);
  KAC_FUZZ_CHECK (kac_wire_figures_get_average (&stats->totals) >= 0);
  KAC_FUZZ_CHECK (kac_wire_figures_get_electronic_share (&stats->totals) >= 0);
  KAC_FUZZ_CHECK (kac_wire_figures_get_electronic_share (&stats->totals) <= 1);

  bytes = kac_wire_encode_stats (stats);
  again = kac_wire_decode_stats (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  if (again == NULL)
    {
      fprintf (stderr, "encoded statistics do not decode (%s)\n", error->message);
      check_bytes_equal (bytes, NULL);
    }
  KAC_FUZZ_CHECK (again->days->len == stats->days->len);
  bytes_again = kac_wire_encode_stats (again);
  check_bytes_equal (bytes, bytes_again);
}

typedef void (*FuzzFunc) (const char *data,
                          gsize       size);

static const struct
{
  const char *name;
  FuzzFunc    func;
} documents[] = {
  { "record", fuzz_record },
  { "batch-request", fuzz_batch_request },
  { "sign-in", fuzz_sign_in },
  { "status-change", fuzz_status_change },
  { "batch-answer", fuzz_batch_answer },
  { "problem", fuzz_problem },
  { "changes", fuzz_changes },
  { "session", fuzz_session },
  { "materials-page", fuzz_materials_page },
  { "notices-page", fuzz_notices_page },
  { "material-request", fuzz_material_request },
  { "notice-request", fuzz_notice_request },
  { "stats", fuzz_stats },
};

static FuzzFunc fuzz_document;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  kac_fuzz_init ();
  catalog = kac_catalog_new_sample ();

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    if (g_str_equal (documents[i].name, KAC_FUZZ_DOCUMENT))
      fuzz_document = documents[i].func;
  g_assert (fuzz_document != NULL);

  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* A copy of exactly @size bytes, so that ASan sees any read past the end of the input. */
  g_autofree char *copy = g_memdup2 (data, size);

  fuzz_document (copy, size);
  return 0;
}
