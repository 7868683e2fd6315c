/* test-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Demo mode as a trainer uses it, from nothing: a fresh XDG_DATA_HOME, the desk started in
 * demo mode (its own application id, settings in memory, the in-process kac-central over HTTP
 * on 127.0.0.1, no keyring), the fictional week on the central store, the desk signed in and
 * its morning sent; the materials of several institutions and the notices of every kind on
 * the Materials and Notices pages, also when the demo starts on another day or hour; a
 * registration through the form; the "Simulate network outage" switch
 * (the queue fills, the indicator says offline) and back (the queue drains, every record on
 * the central store exactly once); "Reset Demo Data" through its confirmation. Screenshots of
 * the demo window go to <build>/tests/screenshots/demo-*-<language>.png (or
 * $KAC_SCREENSHOT_DIR); tools/screenshots makes the metainfo's pictures from them.
 */
#define G_LOG_DOMAIN "test-demo"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "kac-application.h"
#include "kac-clock.h"
#include "kac-demo.h"
#include "kac-demo-badge.h"
#include "kac-demo-data.h"
#include "kac-materials-page.h"
#include "kac-notices-page.h"
#include "kac-queue-page.h"
#include "kac-register-page.h"
#include "kac-store-materials.h"
#include "kac-sync-indicator.h"
#include "kac-test-central.h"
#include "kac-test-gui.h"
#include "kac-window.h"
#include "kac-window-private.h"

#define WAIT_MS 20000

static char *tmp_dir;
static KacApplication *app;
static KacWindow *window;
static gint64 n_seeded;

/* Helpers */

static gboolean
wait_until (KacTestPredicate predicate,
            gpointer         data)
{
  return kac_test_wait_until (predicate, data, WAIT_MS);
}

static KacStore *
get_store (void)
{
  return kac_application_get_store (app);
}

static KacSyncEngine *
get_engine (void)
{
  return kac_application_get_sync_engine (app);
}

static KacCentralStore *
get_central (void)
{
  KacDemo *demo = kac_application_get_demo (app);

  g_assert_nonnull (demo);
  g_assert_nonnull (kac_demo_get_central_store (demo));

  return kac_demo_get_central_store (demo);
}

static KacRegisterPage *
get_register_page (void)
{
  return kac_test_gui_child (window, KAC_TYPE_WINDOW, "register_page");
}

static gpointer
page_child (const char *name)
{
  return kac_test_gui_child (get_register_page (), KAC_TYPE_REGISTER_PAGE, name);
}

static const char *
indicator_label (void)
{
  return kac_sync_indicator_get_label (kac_test_gui_child (window, KAC_TYPE_WINDOW, "sync_indicator"));
}

/* Scrolls every scrolled window under @widget to its top (the newest registrations). */
static void
scroll_to_top (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (widget));

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    scroll_to_top (c);
}

/* Picks a service the way a clerk does: types, then Enter on the best match. */
static void
fill_application (const char *query,
                  const char *client_name,
                  const char *client_code)
{
  GtkSearchEntry *entry = page_child ("service_entry");

  kac_test_gui_show_page (window, "register");
  adw_combo_row_set_selected (page_child ("kind_row"), KAC_RECORD_KIND_APPLICATION);
  gtk_editable_set_text (GTK_EDITABLE (entry), query);
  g_signal_emit_by_name (entry, "activate");
  gtk_editable_set_text (page_child ("client_name_row"), client_name);
  gtk_editable_set_text (page_child ("client_code_row"), client_code);
}

/* Fills the form and saves with the action Ctrl+Enter triggers; returns the new record's UUID,
 * from the toast's Undo action. */
static char *
register_application (const char *query,
                      const char *client_name,
                      const char *client_code)
{
  guint before = g_list_model_get_n_items (kac_store_get_records (get_store ()));
  AdwToast *toast;

  fill_application (query, client_name, client_code);
  gtk_widget_activate_action (GTK_WIDGET (get_register_page ()), "register.save", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (kac_store_get_records (get_store ())), ==, before + 1);

  toast = _kac_window_get_last_toast (window);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "window.undo-save");

  return g_variant_dup_string (adw_toast_get_action_target_value (toast), NULL);
}

static KacRecordState
record_state (const char *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacRecord) record = kac_store_lookup_record (get_store (), uuid, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);

  return kac_record_get_state (record);
}

/* The central store holds @uuid exactly once (one UUID is one row, its primary key) under the
 * central number the desk was given. */
static void
assert_on_central (const char *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCentralStoredRecord) stored = kac_central_store_find_record (get_central (), uuid, &error);
  g_autoptr(KacRecord) record = kac_store_lookup_record (get_store (), uuid, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_nonnull (record);
  g_assert_cmpstr (stored->centre_id, ==, KAC_DEMO_CENTRE_ID);
  g_assert_cmpstr (kac_record_get_central_number (record), ==, stored->central_number);
}

/* The demo's materials and notices as the desk has them after a pull: materials of at least
 * four institutions (one in a second version, one with its PDF attachment fetched), notices of
 * the four kinds of §19, and both pages showing them without being asked (the first pull of a
 * new desk announces nothing, so the pages must follow the pull itself). */
static void
assert_materials_and_notices (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) materials = kac_store_list_materials (get_store (), &error);
  g_autoptr(GPtrArray) notices = NULL;
  g_autoptr(GHashTable) institutions = g_hash_table_new (g_str_hash, g_str_equal);
  KacMaterialsPage *materials_page = kac_test_gui_child (window, KAC_TYPE_WINDOW, "materials_page");
  KacNoticesPage *notices_page = kac_test_gui_child (window, KAC_TYPE_WINDOW, "notices_page");
  gboolean kinds[KAC_NOTICE_KIND_SUBSTITUTION + 1] = { FALSE, };
  gboolean updated = FALSE, attachment = FALSE;
  guint n_rows = 0, n_present = 0, n_substitute = 0, n_absent = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (materials->len, >=, 6);
  for (guint i = 0; i < materials->len; i++)
    {
      KacMaterialInfo *info = materials->pdata[i];
      g_autoptr(KacWireMaterial) material = kac_store_lookup_material (get_store (), info->id, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (material);
      g_assert_true (strstr (material->body, "\n## ") != NULL);
      g_assert_true (strstr (material->body, "\n- ") != NULL || strstr (material->body, "\n1. ") != NULL);
      g_hash_table_add (institutions, info->institution);
      updated |= info->version >= 2;
      for (guint j = 0; j < material->attachments->len; j++)
        {
          KacWireAttachment *file = material->attachments->pdata[j];
          g_autofree char *path = kac_store_dup_attachment_path (get_store (), file->sha256);
          g_autofree char *data = NULL;
          gsize length = 0;

          g_assert_nonnull (path);
          g_assert_true (g_file_get_contents (path, &data, &length, NULL));
          g_assert_cmpint (length, ==, file->size);
          g_assert_cmpstr (file->content_type, ==, "application/pdf");
          g_assert_true (g_str_has_prefix (data, "%PDF-"));
          attachment = TRUE;
        }
    }
  g_assert_cmpuint (g_hash_table_size (institutions), >=, 4);
  g_assert_true (updated);
  g_assert_true (attachment);
  while (gtk_list_box_get_row_at_index (_kac_materials_page_get_list (materials_page), n_rows) != NULL)
    n_rows++;
  g_assert_cmpuint (n_rows, ==, materials->len);

  notices = kac_store_list_notices (get_store (), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < notices->len; i++)
    kinds[((KacWireNotice *) notices->pdata[i])->kind] = TRUE;
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    g_assert_true (kinds[k]);

  /* Today at this centre, whatever the hour and day the demo started. */
  for (const char * const *code = kac_basket_institutions (); *code != NULL; code++)
    {
      GtkWidget *row = _kac_notices_page_get_today_row (notices_page, *code);

      n_present += gtk_widget_has_css_class (row, "present");
      n_substitute += gtk_widget_has_css_class (row, "substitute");
      n_absent += gtk_widget_has_css_class (row, "absent");
    }
  g_assert_cmpuint (n_present, >=, 1);
  g_assert_cmpuint (n_substitute, >=, 1);
  g_assert_cmpuint (n_absent, >=, 1);
  n_rows = 0;
  while (gtk_list_box_get_row_at_index (_kac_notices_page_get_notice_list (notices_page), n_rows) != NULL)
    n_rows++;
  g_assert_cmpuint (n_rows, ==, notices->len);
}

/* The notices page (refreshed now) shows someone present, a substitute and an absence. */
static gboolean
today_is_shown (gpointer data)
{
  KacNoticesPage *page = kac_test_gui_child (window, KAC_TYPE_WINDOW, "notices_page");
  guint states = 0;

  kac_notices_page_refresh (page);
  for (const char * const *code = kac_basket_institutions (); *code != NULL; code++)
    {
      GtkWidget *row = _kac_notices_page_get_today_row (page, *code);

      states |= gtk_widget_has_css_class (row, "present") ? 1 : 0;
      states |= gtk_widget_has_css_class (row, "substitute") ? 2 : 0;
      states |= gtk_widget_has_css_class (row, "absent") ? 4 : 0;
    }

  return states == 7;
}

/* Predicates */

static gboolean
drained (gpointer data)
{
  KacSyncEngine *engine = get_engine ();

  return engine != NULL && kac_sync_engine_get_token (engine) != NULL &&
         kac_sync_engine_get_state (engine) == KAC_SYNC_STATE_IDLE &&
         kac_sync_engine_get_n_pending (engine) == 0 &&
         kac_sync_engine_get_last_sync (engine) != NULL;
}

static gboolean
engine_in_state (gpointer data)
{
  return get_engine () != NULL &&
         kac_sync_engine_get_state (get_engine ()) == (KacSyncState) GPOINTER_TO_INT (data);
}

static gboolean
record_is (gpointer data)
{
  const char *uuid = ((gpointer *) data)[0];
  KacRecordState state = GPOINTER_TO_INT (((gpointer *) data)[1]);

  return record_state (uuid) == state;
}

static void
wait_for_record_state (const char     *uuid,
                       KacRecordState  state)
{
  gpointer data[2] = { (gpointer) uuid, GINT_TO_POINTER (state) };

  g_assert_true (wait_until (record_is, data));
}

static gboolean
find_message_dialog (gpointer data)
{
  AdwMessageDialog **dialog = data;

  *dialog = (AdwMessageDialog *) kac_test_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  return *dialog != NULL;
}

/* Tests */

static void
test_started (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacWireChangesPage) page = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *demo_dir = g_build_filename (g_get_user_data_dir (), "kac-desk-demo", NULL);
  g_autofree char *central_path = g_build_filename (demo_dir, "central.db", NULL);
  g_autofree char *store_path = g_build_filename (demo_dir, "registrations.db", NULL);
  gboolean forwarded = FALSE, completed = FALSE, overdue = FALSE;
  guint n_desk;
  char today[11];
  GDate day;

  /* Its own id, profile and settings: a clerk's desk and data are never touched. */
  g_assert_cmpstr (g_application_get_application_id (G_APPLICATION (app)), ==, APPLICATION_ID ".Demo");
  g_assert_cmpstr (g_getenv ("GSETTINGS_BACKEND"), ==, "memory");
  g_assert_true (g_file_test (central_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (kac_store_get_path (get_store ()), ==, store_path);
  g_assert_true (g_str_has_prefix (kac_demo_get_uri (kac_application_get_demo (app)), "http://127.0.0.1:"));

  /* Signed in by itself (no keyring in this test), this terminal's morning sent. */
  g_assert_true (wait_until (drained, NULL));
  g_assert_cmpstr (kac_sync_engine_get_server_uri (get_engine ()), ==,
                   kac_demo_get_uri (kac_application_get_demo (app)));
  n_desk = g_list_model_get_n_items (kac_store_get_records (get_store ()));
  for (guint i = 0; i < n_desk; i++)
    {
      g_autoptr(KacRecord) record = g_list_model_get_item (kac_store_get_records (get_store ()), i);

      g_assert_cmpint (kac_record_get_state (record), ==, KAC_RECORD_STATE_ACCEPTED);
      assert_on_central (kac_record_get_uuid (record));
    }

  /* A week of registrations: the working days before today, 14 to 32 a day. */
  n_seeded = kac_central_store_get_n_records (get_central ()) - n_desk;
  g_test_message ("seeded on the central store: %" G_GINT64_FORMAT, n_seeded);
  g_assert_cmpint (n_seeded, >=, 14);
  g_assert_cmpint (n_seeded, <=, 7 * 32);
  g_assert_cmpint (kac_central_store_count_users (get_central (), &error), ==, 4);

  /* Some applications forwarded, some completed, one overdue (forwarded, due before today). */
  kac_calendar_date_of (now, &day);
  g_snprintf (today, sizeof today, "%04u-%02u-%02u", g_date_get_year (&day), g_date_get_month (&day),
              g_date_get_day (&day));
  page = kac_central_store_list_changes (get_central (), KAC_DEMO_CENTRE_ID, 0, 1000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < page->changes->len; i++)
    {
      KacWireChange *change = g_ptr_array_index (page->changes, i);

      if (change->status == KAC_APPLICATION_STATUS_FORWARDED)
        {
          forwarded = TRUE;
          if (change->due_date != NULL && strcmp (change->due_date, today) < 0)
            overdue = TRUE;
        }
      if (change->status == KAC_APPLICATION_STATUS_COMPLETED)
        completed = TRUE;
    }
  /* A week with fewer than three working days (Christmas) may have nothing old enough. */
  if (n_seeded >= 60)
    {
      g_assert_true (forwarded);
      g_assert_true (completed);
      g_assert_true (overdue);
    }

  /* The demo mark. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, _("KAC Desk — Demo"));
  g_assert_true (gtk_widget_get_visible (kac_test_gui_child (window, KAC_TYPE_WINDOW, "demo_badge")));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "demo-outage"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "demo-reset"));
  g_assert_false (g_action_group_has_action (G_ACTION_GROUP (app), "start-demo"));
}

static void
test_materials (void)
{
  KacMaterialsPage *page = kac_test_gui_child (window, KAC_TYPE_WINDOW, "materials_page");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) materials = kac_store_list_materials (get_store (), &error);

  g_assert_no_error (error);
  assert_materials_and_notices ();

  /* The updated VSAA material open, as a trainer shows it. */
  for (guint i = 0; i < materials->len; i++)
    {
      KacMaterialInfo *info = materials->pdata[i];

      if (info->version >= 2)
        g_assert_true (kac_materials_page_open_material (page, info->id));
    }
  g_assert_true (strstr (gtk_label_get_label (_kac_materials_page_get_body_label (page)), "Jaunums") != NULL);
  kac_test_gui_show_page (window, "materials");
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "demo-materials");
  kac_test_gui_show_page (window, "notices");
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "demo-notices");
}

/* The demo started again on another day, at any hour: the institutions send new versions of
 * the notices whose dates moved, the desk pulls them, and "today" is full again. */
static void
test_another_day (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (kac_calendar_get_time_zone ());
  GDateTime *base = NULL;
  /* Hours after tomorrow's midnight: 10:00 tomorrow, 21:30 of the day after, 07:10 and 23:40
   * on the next Saturday and Sunday. */
  static const struct { int days; int minutes; } when[] = {
    { 1, 10 * 60 }, { 2, 21 * 60 + 30 }, { -1, 7 * 60 + 10 }, { -2, 23 * 60 + 40 },
  };

  base = g_date_time_new (kac_calendar_get_time_zone (), g_date_time_get_year (now),
                          g_date_time_get_month (now), g_date_time_get_day_of_month (now), 0, 0, 0);
  for (guint i = 0; i < G_N_ELEMENTS (when); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) day = NULL;
      g_autoptr(GDateTime) at = NULL;
      int days = when[i].days;

      /* Negative: the next Saturday (-1) or Sunday (-2) after tomorrow. */
      if (days < 0)
        {
          int weekday = g_date_time_get_day_of_week (base);
          int target = days == -1 ? 6 : 7;

          days = (target - weekday + 7) % 7;
          days += days < 2 ? 7 : 0;
        }
      day = g_date_time_add_days (base, days);
      at = g_date_time_add_minutes (day, when[i].minutes);

      g_assert_cmpint (kac_demo_data_update_notices (get_central (), at, &error), >, 0);
      g_assert_no_error (error);
      /* The same moment again sends nothing. */
      g_assert_cmpint (kac_demo_data_update_notices (get_central (), at, &error), ==, 0);
      g_assert_no_error (error);

      kac_sync_engine_sync_now (get_engine ());
      _kac_clock_set_now (at);
      g_assert_true (wait_until (today_is_shown, NULL));
    }
  g_date_time_unref (base);

  /* Back to the real day. */
  _kac_clock_set_now (NULL);
  g_assert_cmpint (kac_demo_data_update_notices (get_central (), now, NULL), >, 0);
  kac_sync_engine_sync_now (get_engine ());
  g_assert_true (wait_until (today_is_shown, NULL));
  g_assert_true (wait_until (drained, NULL));
}

static void
test_register (void)
{
  g_autofree char *uuid = register_application ("berna kopsanas", "Zane Kļaviņa", "321456-78901");
  gint64 before = kac_central_store_get_n_records (get_central ());

  wait_for_record_state (uuid, KAC_RECORD_STATE_ACCEPTED);
  g_assert_true (wait_until (drained, NULL));
  assert_on_central (uuid);
  g_assert_cmpint (kac_central_store_get_n_records (get_central ()), ==, before + 1);
}

static void
test_outage (void)
{
  g_autofree char *uuid1 = NULL;
  g_autofree char *uuid2 = NULL;
  g_autofree char *offline = NULL;
  gint64 before = kac_central_store_get_n_records (get_central ());
  KacDemoBadge *badge = kac_test_gui_child (window, KAC_TYPE_WINDOW, "demo_badge");
  GtkSwitch *outage_switch = kac_test_gui_child (badge, KAC_TYPE_DEMO_BADGE, "outage_switch");

  /* The switch in the badge's popover is the action's. */
  g_assert_false (gtk_switch_get_active (outage_switch));
  g_action_group_change_action_state (G_ACTION_GROUP (app), "demo-outage", g_variant_new_boolean (TRUE));
  g_assert_true (kac_demo_get_outage (kac_application_get_demo (app)));
  kac_test_run_for (100);
  g_assert_true (gtk_switch_get_active (outage_switch));
  g_assert_true (wait_until (engine_in_state, GINT_TO_POINTER (KAC_SYNC_STATE_OFFLINE)));

  uuid1 = register_application ("pases", "Artūrs Vītols", "356789-01234");
  uuid2 = register_application ("bezdarbnieka statusa", "Laura Eglīte", "398765-43210");
  kac_test_run_for (500);
  g_assert_cmpint (kac_sync_engine_get_state (get_engine ()), ==, KAC_SYNC_STATE_OFFLINE);
  g_assert_cmpuint (kac_sync_engine_get_n_pending (get_engine ()), ==, 2);
  g_assert_cmpint (record_state (uuid1), ==, KAC_RECORD_STATE_QUEUED);
  offline = g_strdup_printf (ngettext ("Offline — %u waiting", "Offline — %u waiting", 2), 2);
  g_assert_cmpstr (indicator_label (), ==, offline);
  g_assert_cmpint (kac_central_store_get_n_records (get_central ()), ==, before);
  kac_test_gui_show_page (window, "queue");
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "demo-outage");

  /* Back: the queue drains at once, each record reaches the central store once. */
  g_action_group_change_action_state (G_ACTION_GROUP (app), "demo-outage", g_variant_new_boolean (FALSE));
  g_assert_false (kac_demo_get_outage (kac_application_get_demo (app)));
  wait_for_record_state (uuid1, KAC_RECORD_STATE_ACCEPTED);
  wait_for_record_state (uuid2, KAC_RECORD_STATE_ACCEPTED);
  g_assert_true (wait_until (drained, NULL));
  assert_on_central (uuid1);
  assert_on_central (uuid2);
  g_assert_cmpint (kac_central_store_get_n_records (get_central ()), ==, before + 2);
}

static void
test_screenshots (void)
{
  KacDemoBadge *badge = kac_test_gui_child (window, KAC_TYPE_WINDOW, "demo_badge");
  GtkPopover *popover = kac_test_gui_child (badge, KAC_TYPE_DEMO_BADGE, "popover");

  kac_test_gui_show_page (window, "queue");
  /* No row keeps the focus (a focused row scrolls back into view), then the top. */
  gtk_widget_grab_focus (kac_test_gui_child (kac_test_gui_child (window, KAC_TYPE_WINDOW, "queue_page"),
                                             KAC_TYPE_QUEUE_PAGE, "search_entry"));
  kac_test_run_for (300);
  scroll_to_top (kac_test_gui_child (window, KAC_TYPE_WINDOW, "queue_page"));
  kac_test_run_for (300);
  scroll_to_top (kac_test_gui_child (window, KAC_TYPE_WINDOW, "queue_page"));
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "demo-queue");

  /* The figures, once the window has a Statistics page. */
  if (adw_view_stack_get_child_by_name (kac_test_gui_child (window, KAC_TYPE_WINDOW, "view_stack"),
                                        "statistics") != NULL)
    {
      kac_test_gui_show_page (window, "statistics");
      kac_test_gui_save_screenshot (GTK_WIDGET (window), "demo-statistics");
    }

  /* The form as a clerk fills it in, before saving. */
  fill_application ("dzivesvietas", "Kristīne Ābola", "327654-09876");
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "demo-register");

  gtk_popover_set_autohide (popover, FALSE);
  kac_demo_badge_popup (badge);
  kac_test_run_for (400);
  kac_test_gui_save_screenshot (GTK_WIDGET (popover), "demo-badge");
  kac_demo_badge_popdown (badge);
  gtk_popover_set_autohide (popover, TRUE);
  kac_test_run_for (200);
}

static void
test_reset (void)
{
  AdwMessageDialog *dialog = NULL;
  KacWindow *old_window = window;
  guint n_desk;

  g_assert_cmpint (kac_central_store_get_n_records (get_central ()), >, n_seeded);

  /* Cancel keeps everything. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "demo-reset", NULL);
  g_assert_true (wait_until (find_message_dialog, &dialog));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  kac_test_run_for (200);
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == GTK_WINDOW (old_window));
  g_assert_cmpint (kac_central_store_get_n_records (get_central ()), >, n_seeded);

  /* With the outage on, to see that the reset ends it too. */
  g_action_group_change_action_state (G_ACTION_GROUP (app), "demo-outage", g_variant_new_boolean (TRUE));

  g_object_add_weak_pointer (G_OBJECT (old_window), (gpointer *) &old_window);
  dialog = NULL;
  g_action_group_activate_action (G_ACTION_GROUP (app), "demo-reset", NULL);
  g_assert_true (wait_until (find_message_dialog, &dialog));
  adw_message_dialog_response (dialog, "reset");
  kac_test_run_for (300);

  /* A new window on fresh stores; the old one is gone. */
  g_assert_null (old_window);
  window = KAC_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  g_assert_nonnull (get_store ());
  g_assert_false (kac_demo_get_outage (kac_application_get_demo (app)));
  g_assert_false (g_variant_get_boolean (g_action_group_get_action_state (G_ACTION_GROUP (app), "demo-outage")));
  g_assert_true (wait_until (drained, NULL));
  n_desk = g_list_model_get_n_items (kac_store_get_records (get_store ()));
  g_assert_cmpint (kac_central_store_get_n_records (get_central ()), ==, n_seeded + n_desk);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, _("KAC Desk — Demo"));
  /* The materials and notices again, in the new window. */
  assert_materials_and_notices ();
}

/* Main */

static void
run_tests_cb (GApplication *application,
              int          *status)
{
  /* Reset opens windows too: only the first activation runs the tests. */
  static gboolean ran = FALSE;

  if (ran)
    return;
  ran = TRUE;

  window = KAC_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  g_assert_nonnull (get_store ());
  kac_test_run_for (300);

  *status = g_test_run ();

  window = KAC_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  kac_test_gui_destroy_and_finalize (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  int status = 1;

  /* From nothing: a data folder of its own. */
  tmp_dir = g_dir_make_tmp ("kac-test-demo-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (tmp_dir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  /* --language=lv runs everything in Latvian. */
  kac_test_gui_init (&argc, &argv);

  g_test_add_func ("/demo/started", test_started);
  g_test_add_func ("/demo/materials", test_materials);
  g_test_add_func ("/demo/another-day", test_another_day);
  g_test_add_func ("/demo/register", test_register);
  g_test_add_func ("/demo/outage", test_outage);
  g_test_add_func ("/demo/screenshots", test_screenshots);
  g_test_add_func ("/demo/reset", test_reset);

  app = kac_application_new ();
  kac_application_set_demo_mode (app, TRUE);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (run_tests_cb), &status);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
  g_assert_finalize_object (app);

  kac_test_remove_tree (tmp_dir);
  g_free (tmp_dir);

  return status;
}
