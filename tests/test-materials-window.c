/* test-materials-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Materials and Notices pages and the §20.8 hint of the register form, in the real window
 * under Xvfb, with a store filled through kac-store-materials' apply functions (the path the
 * sync engine's pull takes) and the clock fixed to Tuesday 3 March 2026, 10:00 in Riga. Writes
 * screenshots of both pages (run with --language=lv for the Latvian ones).
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "kac-clock.h"
#include "kac-materials-page.h"
#include "kac-notices-page.h"
#include "kac-register-page.h"
#include "kac-store-materials.h"
#include "kac-test-gui.h"
#include "kac-window.h"

#define MAT_BERNS   "10000000-0000-4000-8000-000000000001"
#define MAT_PENSIJA "10000000-0000-4000-8000-000000000002"
#define MAT_VID     "10000000-0000-4000-8000-000000000003"

static char *tmp_dir;
static KacStore *store;
static KacCatalog *catalog;
static KacWindow *window;
static GSettings *settings;

/* Helpers */

static GDateTime *
riga (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Riga");

  g_assert_nonnull (zone);
  return g_date_time_new (zone, year, month, day, hour, minute, 0);
}

static KacWireNotice *
make_notice (const char    *id,
             const char    *institution,
             KacNoticeKind  kind,
             const char    *position,
             const char    *name,
             GDateTime     *starts_at,
             GDateTime     *ends_at)
{
  KacWireNotice *notice = kac_wire_notice_new ();

  notice->id = g_strdup (id);
  notice->version = 1;
  notice->institution = g_strdup (institution);
  notice->kind = kind;
  notice->position = g_strdup (position);
  notice->name = g_strdup (name);
  notice->starts_at = g_date_time_to_utc (starts_at);
  notice->ends_at = ends_at != NULL ? g_date_time_to_utc (ends_at) : NULL;
  notice->created_at = g_date_time_ref (notice->starts_at);
  if (kind == KAC_NOTICE_KIND_SPECIALIST_ASSIGNED)
    for (guint day = 1; day <= 5; day++)
      {
        KacWireHours hours = { day, 9 * 60, 16 * 60 };

        g_array_append_val (notice->hours, hours);
      }
  return notice;
}

static KacWireMaterial *
make_material (const char *id,
               const char *institution,
               const char *service,
               const char *title,
               const char *body)
{
  KacWireMaterial *material = kac_wire_material_new ();
  const char *services[] = { service, NULL };

  material->id = g_strdup (id);
  material->version = 1;
  material->institution = g_strdup (institution);
  material->title = g_strdup (title);
  material->body = g_strdup (body);
  material->services = g_strdupv ((GStrv) services);
  material->updated_at = g_date_time_new_utc (2026, 2, 20, 9, 0, 0);
  return material;
}

static void
fill_store (void)
{
  g_autoptr(KacWireFeedPage) notices = kac_wire_notices_page_new ();
  g_autoptr(KacWireFeedPage) materials = kac_wire_materials_page_new ();
  g_autoptr(GDateTime) feb = riga (2026, 2, 2, 0, 0);
  g_autoptr(GDateTime) absence_from = riga (2026, 3, 3, 9, 0);
  g_autoptr(GDateTime) absence_to = riga (2026, 3, 3, 13, 0);
  g_autoptr(GDateTime) subst_from = riga (2026, 3, 2, 8, 0);
  g_autoptr(GDateTime) subst_to = riga (2026, 3, 4, 17, 0);
  g_autoptr(GError) error = NULL;

  notices->cursor = g_strdup ("n.1");
  g_ptr_array_add (notices->items, make_notice ("20000000-0000-4000-8000-000000000001", "VSAA",
                                                KAC_NOTICE_KIND_SPECIALIST_ASSIGNED,
                                                "Senior officer", "Anna Liepa", feb, NULL));
  g_ptr_array_add (notices->items, make_notice ("20000000-0000-4000-8000-000000000002", "VID",
                                                KAC_NOTICE_KIND_SPECIALIST_ASSIGNED,
                                                "Consultant", "Pēteris Kalniņš", feb, NULL));
  g_ptr_array_add (notices->items, make_notice ("20000000-0000-4000-8000-000000000003", "NVA",
                                                KAC_NOTICE_KIND_SPECIALIST_ASSIGNED,
                                                "Career adviser", "Ilze Ozola", feb, NULL));
  g_ptr_array_add (notices->items, make_notice ("20000000-0000-4000-8000-000000000004", "VID",
                                                KAC_NOTICE_KIND_ABSENCE, NULL, NULL,
                                                absence_from, absence_to));
  g_ptr_array_add (notices->items, make_notice ("20000000-0000-4000-8000-000000000005", "NVA",
                                                KAC_NOTICE_KIND_SUBSTITUTION,
                                                "Senior adviser", "Jānis Bērziņš", subst_from, subst_to));
  g_assert_true (kac_store_apply_notices_page (store, notices, NULL, &error));
  g_assert_no_error (error);

  materials->cursor = g_strdup ("m.1");
  g_ptr_array_add (materials->items,
                   make_material (MAT_BERNS, "VSAA", "VSAA-01", "Bērna kopšanas pabalsts",
                                  "# Bērna kopšanas pabalsts\n\nPabalstu piešķir vienam no vecākiem.\n\n"
                                  "## Dokumenti\n\n- iesniegums\n- **personu apliecinošs** dokuments\n\n"
                                  "Sīkāk: [VSAA vietne](https://www.vsaa.gov.lv/)\n"));
  g_ptr_array_add (materials->items,
                   make_material (MAT_PENSIJA, "VSAA", "VSAA-02", "Vecuma pensija",
                                  "Pensiju piešķir, ja ir sasniegts pensijas vecums un bērna kopšanas periodi ir ieskaitīti.\n"));
  g_ptr_array_add (materials->items,
                   make_material (MAT_VID, "VID", "VID-01", "Nekustamā īpašuma nodoklis",
                                  "Nodokli maksā līdz 31. martam.\n"));
  g_assert_true (kac_store_apply_materials_page (store, materials, NULL, &error));
  g_assert_no_error (error);
}

static KacMaterialInfo *
find_info (GPtrArray  *infos,
           const char *id)
{
  for (guint i = 0; i < infos->len; i++)
    if (g_strcmp0 (((KacMaterialInfo *) infos->pdata[i])->id, id) == 0)
      return infos->pdata[i];
  g_assert_not_reached ();
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

static const char *
row_title_markup (GtkListBox *list,
                  guint       index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, index);
  GtkWidget *box = gtk_list_box_row_get_child (row);

  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (box)));
}

static const char *
row_detail_markup (GtkListBox *list,
                   guint       index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, index);
  GtkWidget *box = gtk_list_box_row_get_child (row);

  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_next_sibling (gtk_widget_get_first_child (box))));
}

static void
search (KacMaterialsPage *page,
        const char       *text)
{
  gtk_editable_set_text (_kac_materials_page_get_search_entry (page), text);
  /* The search entry waits a moment before "search-changed". */
  kac_test_run_for (400);
}

/* Tests */

static void
test_materials (void)
{
  KacMaterialsPage *page = kac_test_gui_child (window, KAC_TYPE_WINDOW, "materials_page");
  GtkListBox *list = _kac_materials_page_get_list (page);
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  const char *body;

  gtk_widget_activate_action (GTK_WIDGET (window), "window.show-page", "s", "materials");
  kac_test_run_for (200);
  g_assert_cmpuint (count_rows (list), ==, 3);

  /* Without diacritics, with them, and in capitals: the same hits, highlighted. */
  search (page, "berna");
  g_assert_cmpuint (count_rows (list), ==, 2);
  g_assert_nonnull (strstr (row_title_markup (list, 0), "<b>Bērna</b>"));
  g_assert_nonnull (strstr (row_detail_markup (list, 1), "<b>bērna</b>"));
  search (page, "BĒRNA");
  g_assert_cmpuint (count_rows (list), ==, 2);
  search (page, "nodoklis");
  g_assert_cmpuint (count_rows (list), ==, 1);
  search (page, "zzzz");
  g_assert_cmpuint (count_rows (list), ==, 0);
  search (page, "berna");

  /* Opening marks it read: "New" goes away for that one only. */
  infos = kac_store_list_materials (store, &error);
  g_assert_cmpint (find_info (infos, MAT_BERNS)->read_version, ==, 0);
  g_clear_pointer (&infos, g_ptr_array_unref);
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 0));
  infos = kac_store_list_materials (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (find_info (infos, MAT_BERNS)->read_version, ==, 1);
  g_assert_cmpint (find_info (infos, MAT_PENSIJA)->read_version, ==, 0);

  /* Rendered: heading, list, a safe link. */
  body = gtk_label_get_label (_kac_materials_page_get_body_label (page));
  g_assert_nonnull (strstr (body, "<a href=\"https://www.vsaa.gov.lv/\""));
  g_assert_nonnull (strstr (body, "•"));
  g_assert_nonnull (strstr (body, "<b>personu apliecinošs</b>"));

  kac_test_gui_save_screenshot (GTK_WIDGET (window), "materials");
}

static void
test_notices (void)
{
  KacNoticesPage *page = kac_test_gui_child (window, KAC_TYPE_WINDOW, "notices_page");
  GtkWidget *row;

  gtk_widget_activate_action (GTK_WIDGET (window), "window.show-page", "s", "notices");
  kac_notices_page_refresh (page);
  kac_test_run_for (200);

  row = _kac_notices_page_get_today_row (page, "VSAA");
  g_assert_true (gtk_widget_has_css_class (row, "present"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "16:00"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Anna Liepa"));

  row = _kac_notices_page_get_today_row (page, "VID");
  g_assert_true (gtk_widget_has_css_class (row, "absent"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "13:00"));

  row = _kac_notices_page_get_today_row (page, "NVA");
  g_assert_true (gtk_widget_has_css_class (row, "substitute"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Jānis Bērziņš"));

  row = _kac_notices_page_get_today_row (page, "LAD");
  g_assert_true (gtk_widget_has_css_class (row, "away"));

  /* Newest first: the absence today, then the substitution of yesterday, then assignments. */
  g_assert_cmpuint (count_rows (_kac_notices_page_get_notice_list (page)), ==, 5);
  g_assert_true (kac_notices_page_show_notice (page, "20000000-0000-4000-8000-000000000004"));
  g_assert_true (gtk_list_box_get_selected_row (_kac_notices_page_get_notice_list (page))
                 == gtk_list_box_get_row_at_index (_kac_notices_page_get_notice_list (page), 0));

  /* At 14:00 the absence is over. */
  {
    g_autoptr(GDateTime) later = riga (2026, 3, 3, 14, 0);

    _kac_clock_set_now (later);
    kac_notices_page_refresh (page);
    g_assert_true (gtk_widget_has_css_class (_kac_notices_page_get_today_row (page, "VID"), "present"));
  }
  {
    g_autoptr(GDateTime) now = riga (2026, 3, 3, 10, 0);

    _kac_clock_set_now (now);
    kac_notices_page_refresh (page);
  }

  kac_test_gui_save_screenshot (GTK_WIDGET (window), "notices");
}

static gboolean
pick_and_see_hint (const char *query)
{
  KacRegisterPage *page = kac_test_gui_child (window, KAC_TYPE_WINDOW, "register_page");
  GtkEditable *entry = kac_test_gui_child (page, KAC_TYPE_REGISTER_PAGE, "service_entry");
  GtkWidget *revealer = kac_test_gui_child (page, KAC_TYPE_REGISTER_PAGE, "presence_revealer");

  kac_register_page_reset (page);
  gtk_editable_set_text (entry, query);
  kac_test_run_for (100);
  g_signal_emit_by_name (entry, "activate");
  kac_test_run_for (300);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (revealer));
}

static void
test_register_hint (void)
{
  KacRegisterPage *page = kac_test_gui_child (window, KAC_TYPE_WINDOW, "register_page");
  GtkLabel *label = kac_test_gui_child (page, KAC_TYPE_REGISTER_PAGE, "presence_label");

  gtk_widget_activate_action (GTK_WIDGET (window), "window.show-page", "s", "register");

  g_settings_set_string (settings, "centre-kind", "regional");
  g_assert_true (pick_and_see_hint ("VSAA"));
  g_assert_nonnull (strstr (gtk_label_get_label (label), "Anna Liepa"));
  g_assert_nonnull (strstr (gtk_label_get_label (label), "16:00"));
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "register-presence-hint");

  /* The VID specialist is absent now: nothing to send the client to. */
  g_assert_false (pick_and_see_hint ("VID"));

  /* A county centre serves everything itself: no hint, also when the kind changes under it. */
  g_assert_true (pick_and_see_hint ("VSAA"));
  g_settings_set_string (settings, "centre-kind", "county");
  kac_test_run_for (100);
  g_assert_false (gtk_revealer_get_reveal_child (kac_test_gui_child (page, KAC_TYPE_REGISTER_PAGE, "presence_revealer")));
  g_assert_false (pick_and_see_hint ("VSAA"));

  g_settings_set_string (settings, "centre-kind", "national");
  g_assert_true (pick_and_see_hint ("VSAA"));
  kac_register_page_reset (page);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *path = NULL;
  int status;

  /* --language=lv runs everything in Latvian. */
  kac_test_gui_init (&argc, &argv);
  adw_init ();

  tmp_dir = g_dir_make_tmp ("kac-test-materials-window-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (tmp_dir, "registrations.db", NULL);
  store = kac_store_open (path, &error);
  g_assert_no_error (error);
  fill_store ();

  now = riga (2026, 3, 3, 10, 0);
  _kac_clock_set_now (now);

  settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_settings_set_string (settings, "centre-id", "riga-1");
  g_settings_set_string (settings, "centre-name", "Rīgas VPVKAC");
  g_settings_set_string (settings, "clerk-name", "test");
  g_settings_set_int (settings, "window-width", 1100);
  g_settings_set_int (settings, "window-height", 760);

  catalog = kac_catalog_new_sample ();
  window = kac_window_new (NULL, store, NULL, catalog);
  gtk_window_present (GTK_WINDOW (window));
  kac_test_run_for (300);

  g_test_add_func ("/materials-window/materials", test_materials);
  g_test_add_func ("/materials-window/notices", test_notices);
  g_test_add_func ("/materials-window/register-hint", test_register_hint);

  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  kac_test_run_for (100);
  g_clear_object (&catalog);
  g_clear_object (&settings);
  g_assert_finalize_object (store);
  _kac_clock_set_now (NULL);
  kac_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
