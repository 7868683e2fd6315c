/* test-materials-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk's materials and notices cache (KacStore schema v4, index rebuilt in v6): pages
 * applied with their cursor, search that ignores case and diacritics with prefixes, phrases
 * and highlighted snippets, title hits first among many matches, tombstones, "notified" marks
 * that hold across a restart, attachments verified before they are kept, and the Markdown
 * subset.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kac-markup.h"
#include "kac-test-util.h"
#include "kac-store-materials.h"

typedef struct
{
  char     *dir;
  char     *path;
  KacStore *store;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("kac-materials-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "registrations.db", NULL);
  fixture->store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->store);
  fixture->store = kac_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static KacWireMaterial *
make_material (const char *id,
               gint64      version,
               const char *title,
               const char *body)
{
  KacWireMaterial *material = kac_wire_material_new ();
  const char *services[] = { "VSAA-01", NULL };

  material->id = g_strdup (id);
  material->version = version;
  material->institution = g_strdup ("VSAA");
  material->title = g_strdup (title);
  material->body = g_strdup (body);
  material->services = g_strdupv ((GStrv) services);
  material->updated_at = g_date_time_new_now_utc ();
  return material;
}

static KacWireFeedPage *
materials_page (const char *cursor,
                gboolean    more)
{
  KacWireFeedPage *page = kac_wire_materials_page_new ();

  page->cursor = g_strdup (cursor);
  page->more = more;
  return page;
}

static guint
apply (Fixture         *fixture,
       KacWireFeedPage *page)
{
  g_autoptr(GPtrArray) notify = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (kac_store_apply_materials_page (fixture->store, page, &notify, &error));
  g_assert_no_error (error);
  return notify->len;
}

#define ID1 "7d3c1a52-6a4e-4d5c-9c1e-2f7b8a0e9d11"
#define ID2 "5b0f0f6e-2b43-4a5e-8f3e-1c2d3e4f5a62"
#define ID3 "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c43"

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(KacWireFeedPage) page = materials_page ("e.1", FALSE);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  KacMaterialHit *hit;

  g_ptr_array_add (page->items, make_material (ID1, 1, "Bērna kopšanas pabalsts",
                                               "# Kā pieteikt\n\nPabalstu piešķir **bērna** kopšanai līdz "
                                               "pusotra gada vecumam. Iesniegumu var iesniegt [portālā](https://latvija.lv)."));
  g_ptr_array_add (page->items, make_material (ID2, 1, "Vecuma pensija",
                                               "Pensiju piešķir, sasniedzot pensijas vecumu. Bērna "
                                               "kopšanas periodi tiek ieskaitīti stāžā."));
  g_ptr_array_add (page->items, make_material (ID3, 1, "Slimības pabalsts", "Darbnespējas lapa B."));
  apply (fixture, page);

  /* Without diacritics and in capitals. */
  hits = kac_store_search_materials (fixture->store, "BERNA", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 2);
  /* A hit in the title ranks first. */
  hit = hits->pdata[0];
  g_assert_cmpstr (hit->id, ==, ID1);
  g_assert_cmpstr (hit->title_markup, ==, "<b>Bērna</b> kopšanas pabalsts");
  g_assert_nonnull (strstr (hit->snippet_markup, "<b>bērna</b>"));
  /* The snippet is text, not the markup of the body. */
  g_assert_null (strstr (hit->snippet_markup, "**"));
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* With diacritics, and as a prefix. */
  hits = kac_store_search_materials (fixture->store, "pabals", 10, &error);
  g_assert_cmpuint (hits->len, ==, 2);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = kac_store_search_materials (fixture->store, "piešķ", 10, &error);
  g_assert_cmpuint (hits->len, ==, 2);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* A phrase: the words next to each other, in that order. */
  hits = kac_store_search_materials (fixture->store, "\"kopsanas periodi\"", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((KacMaterialHit *) hits->pdata[0])->id, ==, ID2);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = kac_store_search_materials (fixture->store, "\"periodi kopšanas\"", 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Several words: all of them. FTS5 syntax typed by a clerk is only words. */
  hits = kac_store_search_materials (fixture->store, "bērna pensija", 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = kac_store_search_materials (fixture->store, "NEAR( OR * \" ^", 10, &error);
  g_assert_no_error (error);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = kac_store_search_materials (fixture->store, "  ", 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* The link target is not indexed; a tombstone removes the material from the search. */
  hits = kac_store_search_materials (fixture->store, "latvija", 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  {
    g_autoptr(KacWireFeedPage) tomb = materials_page ("e.2", FALSE);
    KacWireMaterial *gone = kac_wire_material_new ();

    gone->id = g_strdup (ID1);
    gone->version = 2;
    gone->deleted = TRUE;
    g_ptr_array_add (tomb->items, gone);
    apply (fixture, tomb);
  }
  hits = kac_store_search_materials (fixture->store, "berna", 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((KacMaterialHit *) hits->pdata[0])->id, ==, ID2);
}

/* The snippet: a window of the text around the hits, cut with "…" where text was left out,
 * a phrase marked as one piece; a title-only hit shows the start of the text. */
static void
test_snippet (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(KacWireFeedPage) page = materials_page ("s.1", FALSE);
  g_autoptr(GString) body = g_string_new ("## Ievads\n\n");
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  KacMaterialHit *hit;

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (body, "vārds%u ", i);
  g_string_append (body, "Bērna **kopšanas** pabalstu piešķir. ");
  for (guint i = 200; i < 400; i++)
    g_string_append_printf (body, "vārds%u ", i);
  g_ptr_array_add (page->items, make_material (ID1, 1, "Garš materiāls", body->str));
  g_ptr_array_add (page->items, make_material (ID2, 1, "Kopšanas pabalsts", "Īss teksts bez tā vārda."));
  apply (fixture, page);

  hits = kac_store_search_materials (fixture->store, "\"berna kopsanas\"", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  hit = hits->pdata[0];
  g_assert_true (g_str_has_prefix (hit->snippet_markup, "…"));
  g_assert_true (g_str_has_suffix (hit->snippet_markup, "…"));
  g_assert_nonnull (strstr (hit->snippet_markup, "<b>Bērna kopšanas</b> pabalstu"));
  g_assert_null (strstr (hit->snippet_markup, "vārds100 "));
  g_assert_null (strstr (hit->snippet_markup, "**"));
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Two words apart: each marked; the title-only hit shows the text from its start. */
  hits = kac_store_search_materials (fixture->store, "pabals kops", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 2);
  hit = hits->pdata[0];
  g_assert_cmpstr (hit->id, ==, ID2);
  g_assert_cmpstr (hit->title_markup, ==, "<b>Kopšanas</b> <b>pabalsts</b>");
  g_assert_cmpstr (hit->snippet_markup, ==, "Īss teksts bez tā vārda.");
  hit = hits->pdata[1];
  g_assert_nonnull (strstr (hit->snippet_markup, "Bērna <b>kopšanas</b> <b>pabalstu</b> piešķir"));
}

/* Many matches (more than the store ranks all together): materials with the words in the
 * title come first, all of them, old ones too, in the order bm25 gives them over the whole
 * index; then materials with the words in the text, marked; nothing is lost or repeated. */
static void
test_search_many (Fixture       *fixture,
                  gconstpointer  data)
{
  static const guint in_title[] = { 7, 1200, 2050 };
  g_autoptr(KacWireFeedPage) page = materials_page ("m.1", FALSE);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *exact = NULL;
  g_autofree char *found = NULL;
  g_autoptr(GString) first = g_string_new (NULL);

  for (guint i = 0; i < 2100; i++)
    {
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", i);
      g_autofree char *title = g_strdup_printf ("Materiāls %u", i);
      g_autofree char *body = g_strdup_printf ("Teksts %u par to, kā piešķir pabalstu un kas jāiesniedz.", i);

      for (guint t = 0; t < G_N_ELEMENTS (in_title); t++)
        if (i == in_title[t])
          {
            g_free (title);
            title = g_strdup_printf (t == 1 ? "Pabalsts %u" : "Pabalsts ģimenei ar bērniem %u", i);
          }
      g_ptr_array_add (page->items, make_material (id, 1, title, body));
    }
  apply (fixture, page);

  hits = kac_store_search_materials (fixture->store, "pabals", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 10);
  for (guint i = 0; i < hits->len; i++)
    {
      KacMaterialHit *hit = hits->pdata[i];

      if (i < G_N_ELEMENTS (in_title))
        {
          g_assert_true (g_str_has_prefix (hit->title_markup, "<b>Pabalsts</b>"));
          g_string_append_printf (first, "%s%s", i > 0 ? " " : "", hit->id);
        }
      else
        g_assert_true (g_str_has_prefix (hit->title_markup, "Materiāls "));
      g_assert_nonnull (strstr (hit->snippet_markup, "<b>pabalstu</b>"));
    }
  /* The title hits in the order bm25 gives them over all 2,100 matches: the shortest title first. */
  exact = kac_test_query_text (fixture->path,
                               "SELECT group_concat (id, ' ') FROM (SELECT m.id FROM materials_fts "
                               "JOIN materials m ON m.rowid = materials_fts.rowid "
                               "WHERE materials_fts MATCH '\"pabals\"*' "
                               "ORDER BY bm25 (materials_fts, 10.0, 1.0, 2.0) LIMIT 3)");
  g_assert_cmpstr (first->str, ==, exact);
  g_assert_true (g_str_has_prefix (first->str, "00000000-0000-4000-8000-000000001200 "));
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Every match once when the page has room for all. */
  hits = kac_store_search_materials (fixture->store, "pabals", 5000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 2100);
  for (guint i = 0; i < hits->len; i++)
    g_assert_true (g_hash_table_add (seen, ((KacMaterialHit *) hits->pdata[i])->id));
  found = g_strdup (((KacMaterialHit *) hits->pdata[0])->id);
  g_assert_cmpstr (found, ==, "00000000-0000-4000-8000-000000001200");
}

static void
test_versions_and_notify (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(KacWireFeedPage) first = materials_page ("e.1", TRUE);
  g_autoptr(KacWireFeedPage) first_end = materials_page ("e.2", FALSE);
  g_autoptr(KacWireFeedPage) update = materials_page ("e.3", FALSE);
  g_autoptr(KacWireMaterial) looked_up = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  gint64 read_version = -1;

  /* The first full pull announces nothing, also across its pages. */
  g_ptr_array_add (first->items, make_material (ID1, 1, "Bērna kopšanas pabalsts", "Teksts"));
  g_ptr_array_add (first_end->items, make_material (ID2, 3, "Vecuma pensija", "Teksts"));
  g_assert_cmpuint (apply (fixture, first), ==, 0);
  reopen (fixture);
  g_assert_cmpuint (apply (fixture, first_end), ==, 0);
  cursor = kac_store_dup_sync_value (fixture->store, KAC_STORE_MATERIALS_CURSOR_KEY);
  g_assert_cmpstr (cursor, ==, "e.2");

  list = kac_store_list_materials (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (((KacMaterialInfo *) list->pdata[0])->read_version, ==, 0);

  /* Read, then updated: announced once, even when the page comes again after a restart. */
  g_assert_true (kac_store_mark_material_read (fixture->store, ID1, 1, &error));
  g_ptr_array_add (update->items, make_material (ID1, 2, "Bērna kopšanas pabalsts", "Jauns teksts"));
  g_ptr_array_add (update->items, make_material (ID3, 1, "Slimības pabalsts", "Jauns"));
  g_assert_cmpuint (apply (fixture, update), ==, 2);
  reopen (fixture);
  g_assert_cmpuint (apply (fixture, update), ==, 0);

  looked_up = kac_store_lookup_material (fixture->store, ID1, &read_version, &error);
  g_assert_no_error (error);
  g_assert_cmpint (looked_up->version, ==, 2);
  g_assert_cmpstr (looked_up->body, ==, "Jauns teksts");
  g_assert_cmpint (read_version, ==, 1);   /* "updated since you read it" */

  /* An older version arriving late changes nothing. */
  {
    g_autoptr(KacWireFeedPage) stale = materials_page ("e.4", FALSE);
    g_autoptr(KacWireMaterial) again = NULL;

    g_ptr_array_add (stale->items, make_material (ID1, 1, "Vecs", "Vecs"));
    g_assert_cmpuint (apply (fixture, stale), ==, 0);
    again = kac_store_lookup_material (fixture->store, ID1, NULL, &error);
    g_assert_cmpint (again->version, ==, 2);
  }
}

static KacWireNotice *
make_notice (const char    *id,
             gint64         version,
             KacNoticeKind  kind)
{
  KacWireNotice *notice = kac_wire_notice_new ();

  notice->id = g_strdup (id);
  notice->version = version;
  notice->institution = g_strdup ("VSAA");
  notice->kind = kind;
  notice->position = g_strdup ("Referente");
  notice->name = g_strdup ("Ilze Ozola");
  notice->starts_at = g_date_time_new_from_iso8601 ("2026-03-02T07:00:00Z", NULL);
  notice->ends_at = g_date_time_new_from_iso8601 ("2026-03-03T15:00:00Z", NULL);
  notice->created_at = g_date_time_new_now_utc ();
  return notice;
}

static void
test_notices (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(KacWireFeedPage) first = kac_wire_notices_page_new ();
  g_autoptr(KacWireFeedPage) later = kac_wire_notices_page_new ();
  g_autoptr(GPtrArray) notify = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  first->cursor = g_strdup ("e.1");
  g_ptr_array_add (first->items, make_notice (ID1, 1, KAC_NOTICE_KIND_ABSENCE));
  g_assert_true (kac_store_apply_notices_page (fixture->store, first, &notify, &error));
  g_assert_cmpuint (notify->len, ==, 0);
  g_clear_pointer (&notify, g_ptr_array_unref);

  /* After the first pull: absences and substitutions are announced, assignments are not. */
  later->cursor = g_strdup ("e.2");
  g_ptr_array_add (later->items, make_notice (ID2, 1, KAC_NOTICE_KIND_SUBSTITUTION));
  g_ptr_array_add (later->items, make_notice (ID3, 1, KAC_NOTICE_KIND_SPECIALIST_ASSIGNED));
  g_assert_true (kac_store_apply_notices_page (fixture->store, later, &notify, &error));
  g_assert_cmpuint (notify->len, ==, 1);
  g_assert_cmpstr (((KacWireNotice *) notify->pdata[0])->id, ==, ID2);
  g_clear_pointer (&notify, g_ptr_array_unref);
  reopen (fixture);
  g_assert_true (kac_store_apply_notices_page (fixture->store, later, &notify, &error));
  g_assert_cmpuint (notify->len, ==, 0);

  list = kac_store_list_notices (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (((KacWireNotice *) list->pdata[0])->name, ==, "Ilze Ozola");
}

static void
test_attachments (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char pdf[] = "%PDF-1.4 test";
  g_autoptr(GBytes) good = g_bytes_new_static (pdf, sizeof pdf - 1);
  g_autoptr(GBytes) corrupted = g_bytes_new_static ("%PDF-1.4 tesT", sizeof pdf - 1);
  g_autofree char *sha256 = kac_wire_sha256_of_bytes (good);
  g_autoptr(KacWireFeedPage) page = materials_page ("e.1", FALSE);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) missing = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *dir = kac_store_dup_attachments_dir (fixture->store);
  g_autofree char *temp = NULL;
  KacWireMaterial *material = make_material (ID1, 1, "Ar pielikumu", "Teksts");
  gsize length;

  g_ptr_array_add (material->attachments, kac_wire_attachment_new (sha256, "a.pdf", "application/pdf", 13));
  g_ptr_array_add (page->items, material);
  apply (fixture, page);

  missing = kac_store_dup_missing_attachments (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (missing), ==, 1);
  g_assert_cmpstr (missing[0], ==, sha256);

  /* A corrupted download is refused and nothing is written. */
  g_assert_false (kac_store_save_attachment (fixture->store, sha256, corrupted, &error));
  g_assert_error (error, KAC_STORE_ERROR, KAC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (kac_store_dup_attachment_path (fixture->store, sha256));
  temp = g_strconcat (dir, "/", sha256, ".part", NULL);
  g_assert_false (g_file_test (temp, G_FILE_TEST_EXISTS));

  g_assert_true (kac_store_save_attachment (fixture->store, sha256, good, &error));
  g_assert_no_error (error);
  path = kac_store_dup_attachment_path (fixture->store, sha256);
  g_assert_nonnull (path);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, pdf, sizeof pdf - 1);
  g_strfreev (missing);
  missing = kac_store_dup_missing_attachments (fixture->store, &error);
  g_assert_cmpuint (g_strv_length (missing), ==, 0);
  g_assert_null (kac_store_dup_attachment_path (fixture->store, "../../etc/passwd"));
}

static void
test_markup (void)
{
  g_autofree char *pango = kac_markup_to_pango ("# Virsraksts\n\nTeksts ar **treknu** un *slīpu* <tag> & "
                                                "[saiti](https://latvija.lv) un [sliktu](javascript:alert(1)).\n"
                                                "- viens\n- divi\n1. pirmais");
  g_autofree char *plain = kac_markup_to_plain ("## Kā **pieteikt**\n\n[Portāls](https://x.lv) un _teksts_");

  g_assert_cmpstr (pango, ==,
                   "<span size=\"xx-large\" weight=\"bold\">Virsraksts</span>\n\n"
                   "Teksts ar <b>treknu</b> un <i>slīpu</i> &lt;tag&gt; &amp; "
                   "<a href=\"https://latvija.lv\">saiti</a> un sliktu).\n"
                   "  • viens\n  • divi\n  1. pirmais");
  g_assert_cmpstr (plain, ==, "Kā pieteikt\n\nPortāls un teksts");
  g_assert_true (kac_markup_link_is_safe ("mailto:info@vsaa.gov.lv"));
  g_assert_false (kac_markup_link_is_safe ("file:///etc/passwd"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/materials-store/search", Fixture, NULL, fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/materials-store/snippet", Fixture, NULL, fixture_set_up, test_snippet, fixture_tear_down);
  g_test_add ("/materials-store/search-many", Fixture, NULL, fixture_set_up, test_search_many, fixture_tear_down);
  g_test_add ("/materials-store/versions-and-notify", Fixture, NULL, fixture_set_up, test_versions_and_notify, fixture_tear_down);
  g_test_add ("/materials-store/notices", Fixture, NULL, fixture_set_up, test_notices, fixture_tear_down);
  g_test_add ("/materials-store/attachments", Fixture, NULL, fixture_set_up, test_attachments, fixture_tear_down);
  g_test_add_func ("/materials-store/markup", test_markup);

  return g_test_run ();
}
