/* kac-stats-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The statistics page: this terminal's figures (kac_store_get_stats, works offline) or, for a
 * manager signed in to a reachable central system, the whole centre's (GET /api/v1/stats), for
 * a range of days, as a summary line, two charts stacked by channel (by service, by day) and
 * the same figures as a sortable table, so that nothing is only in a picture. When the whole
 * centre is not available, the page says why in a line under the range picker (and errors of
 * a fetch go there too). Exports go through GtkFileChooserNative (the portal in a sandbox),
 * libkac's CSV writer and a one-page PDF drawn with the charts' own drawing function.
 */
#define G_LOG_DOMAIN "kac-stats-page"

#include "config.h"

#include "kac-stats-page.h"
#include "kac-bar-chart.h"
#include "kac-calendar.h"
#include "kac-http-client.h"
#include "kac-stats-csv.h"
#include "kac-store-stats.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>

/* A row of the table: the figures of one service. Private to the page (it has no behaviour of
 * its own), with properties so that GtkColumnView's sorters can read them. */

#define KAC_TYPE_STATS_ROW (kac_stats_row_get_type ())
G_DECLARE_FINAL_TYPE (KacStatsRow, kac_stats_row, KAC, STATS_ROW, GObject)

enum
{
  ROW_PROP_0,
  ROW_PROP_NAME,
  ROW_PROP_INSTITUTION,
  ROW_PROP_CASES,
  ROW_PROP_IN_PERSON,
  ROW_PROP_PHONE,
  ROW_PROP_ELECTRONIC,
  ROW_PROP_POST,
  ROW_PROP_DELAYED,
  ROW_PROP_COMPLAINTS,
  ROW_PROP_AVERAGE,
  ROW_N_PROPS
};

struct _KacStatsRow
{
  GObject  parent_instance;
  char    *name;
  char    *institution;
  gint64   numbers[ROW_PROP_COMPLAINTS - ROW_PROP_CASES + 1];
  double   average;
};

G_DEFINE_FINAL_TYPE (KacStatsRow, kac_stats_row, G_TYPE_OBJECT)

static GParamSpec *row_properties[ROW_N_PROPS];

static void
kac_stats_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KacStatsRow *self = KAC_STATS_ROW (object);

  if (prop_id == ROW_PROP_NAME)
    g_value_set_string (value, self->name);
  else if (prop_id == ROW_PROP_INSTITUTION)
    g_value_set_string (value, self->institution);
  else if (prop_id == ROW_PROP_AVERAGE)
    g_value_set_double (value, self->average);
  else if (prop_id >= ROW_PROP_CASES && prop_id <= ROW_PROP_COMPLAINTS)
    g_value_set_int64 (value, self->numbers[prop_id - ROW_PROP_CASES]);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
kac_stats_row_finalize (GObject *object)
{
  KacStatsRow *self = KAC_STATS_ROW (object);

  g_free (self->name);
  g_free (self->institution);

  G_OBJECT_CLASS (kac_stats_row_parent_class)->finalize (object);
}

static void
kac_stats_row_class_init (KacStatsRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  static const char * const number_names[] = {
    "cases", "in-person", "phone", "electronic", "post", "delayed", "complaints",
  };

  object_class->get_property = kac_stats_row_get_property;
  object_class->finalize = kac_stats_row_finalize;

  row_properties[ROW_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_INSTITUTION] =
    g_param_spec_string ("institution", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  for (guint i = 0; i < G_N_ELEMENTS (number_names); i++)
    row_properties[ROW_PROP_CASES + i] =
      g_param_spec_int64 (number_names[i], NULL, NULL, 0, G_MAXINT64, 0,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_AVERAGE] =
    g_param_spec_double ("average", NULL, NULL, 0, 5, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
kac_stats_row_init (KacStatsRow *self)
{
}

/* The page */

struct _KacStatsPage
{
  GtkWidget      parent_instance;

  GtkBox        *box;
  GtkBox        *days_chart_box;
  GtkBox        *institutions_chart_box;
  AdwStatusPage *empty_page;
  GtkEntry      *from_entry;
  GtkDropDown   *range_dropdown;
  GtkLabel      *range_label;
  GtkBox        *services_chart_box;
  GtkStack      *stack;
  GtkLabel      *summary_label;
  GtkColumnView *table;
  GtkEntry      *to_entry;
  GtkDropDown   *scope_dropdown;
  GtkLabel      *notice_label;

  KacBarChart   *services_chart;
  KacBarChart   *days_chart;
  KacBarChart   *institutions_chart;
  GListStore    *rows;
  GtkSortListModel *sorted_rows;

  KacStore      *store;
  KacCatalog    *catalog;
  char          *centre_id;
  char          *centre_name;
  GDate          today;
  GDate          from;
  GDate          to;
  KacWireStats  *stats;

  /* The whole centre: the engine knows the server and the sign-in, the role is the session's. */
  KacSyncEngine *engine;
  char          *role;
  KacStatsScope  scope;
  GCancellable  *cancellable;     /* of the fetch on its way, if any */
  gboolean       loading;
  GtkFileChooserNative *chooser;  /* the export dialog while it is open */
  guint          refresh_id;      /* a queued refresh of this terminal's figures */
};

G_DEFINE_FINAL_TYPE (KacStatsPage, kac_stats_page, GTK_TYPE_WIDGET)

/* A burst of changes to the store (a batch of answers from the central system changes every
 * record of the batch) reads the figures once. */
#define REFRESH_DELAY_MS 250

/* Helpers */

static char *
format_date (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static gboolean
parse_date (const char *text,
            GDate      *date)
{
  guint year, month, day;

  if (text == NULL || sscanf (text, "%4u-%2u-%2u", &year, &month, &day) != 3
      || !g_date_valid_dmy (day, month, year))
    return FALSE;

  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

/* Counts go into messages as text: a G_GINT64_FORMAT inside a translatable string would cut the
 * msgid where xgettext meets the macro. */
static char *
dup_count (gint64 count)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, count);
}

static char *
dup_summary (KacStatsPage *self)
{
  const KacWireFigures *totals = &self->stats->totals;
  gint64 answers = kac_wire_figures_get_answers (totals);
  g_autofree char *n_cases = dup_count (totals->cases);
  g_autofree char *n_delayed = dup_count (totals->delayed);
  g_autofree char *n_complaints = dup_count (totals->complaints);
  g_autofree char *n_answers = dup_count (answers);
  g_autofree char *cases = g_strdup_printf (ngettext ("%s case", "%s cases", (gulong) totals->cases),
                                            n_cases);
  g_autofree char *delayed = g_strdup_printf (ngettext ("%s delayed", "%s delayed",
                                                        (gulong) totals->delayed),
                                              n_delayed);
  g_autofree char *complaints = g_strdup_printf (ngettext ("%s complaint", "%s complaints",
                                                           (gulong) totals->complaints),
                                                 n_complaints);
  g_autofree char *satisfaction = NULL;

  if (answers > 0)
    /* Translators: %1$.2f is the average rating (1–5), %2$s the number of answers. */
    satisfaction = g_strdup_printf (ngettext ("satisfaction %1$.2f of 5 (%2$s answer)",
                                              "satisfaction %1$.2f of 5 (%2$s answers)",
                                              (gulong) answers),
                                    kac_wire_figures_get_average (totals), n_answers);
  else
    satisfaction = g_strdup (_("no satisfaction answers"));

  /* Translators: the figures of a range, e.g. "12 cases · 33% electronic · 1 delayed · …". */
  return g_strdup_printf (_("%s · %.0f%% electronic · %s · %s · %s"), cases,
                          100.0 * kac_wire_figures_get_electronic_share (totals),
                          delayed, complaints, satisfaction);
}

static void
fill_charts_and_table (KacStatsPage *self)
{
  g_autoptr(GString) services_summary = g_string_new (NULL);
  g_autoptr(GString) institutions_summary = g_string_new (NULL);
  g_autoptr(GPtrArray) new_rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *summary = dup_summary (self);

  kac_bar_chart_clear (self->services_chart);
  kac_bar_chart_clear (self->days_chart);
  kac_bar_chart_clear (self->institutions_chart);

  for (guint i = 0; i < self->stats->services->len; i++)
    {
      KacWireStatsGroup *group = g_ptr_array_index (self->stats->services, i);
      const KacWireFigures *figures = &group->figures;
      g_autofree char *name = kac_stats_dup_group_name (self->catalog, group->service_code,
                                                        group->institution_code);
      KacStatsRow *row = g_object_new (KAC_TYPE_STATS_ROW, NULL);

      row->name = g_strdup (name);
      row->institution = g_strdup (group->institution_code != NULL ? group->institution_code : "");
      row->numbers[0] = figures->cases;
      for (guint c = 0; c < KAC_CHANNEL_N_VALUES; c++)
        row->numbers[1 + c] = figures->by_channel[c];
      row->numbers[5] = figures->delayed;
      row->numbers[6] = figures->complaints;
      row->average = kac_wire_figures_get_average (figures);
      g_ptr_array_add (new_rows, row);

      kac_bar_chart_add_bar (self->services_chart, name, figures->by_channel);
      g_string_append_printf (services_summary, "%s%s: %" G_GINT64_FORMAT,
                              i > 0 ? "; " : "", name, figures->cases);
    }
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       new_rows->pdata, new_rows->len);

  for (guint i = 0; i < self->stats->institutions->len; i++)
    {
      KacWireStatsGroup *group = g_ptr_array_index (self->stats->institutions, i);
      g_autofree char *name = kac_stats_dup_group_name (self->catalog, NULL,
                                                        group->institution_code);

      kac_bar_chart_add_bar (self->institutions_chart, name, group->figures.by_channel);
      g_string_append_printf (institutions_summary, "%s%s: %" G_GINT64_FORMAT,
                              i > 0 ? "; " : "", name, group->figures.cases);
    }

  for (guint i = 0; i < self->stats->days->len; i++)
    {
      KacWireStatsDay *day = &g_array_index (self->stats->days, KacWireStatsDay, i);
      g_autofree char *label = g_strdup_printf ("%02u.%02u.", g_date_get_day (&day->date),
                                                g_date_get_month (&day->date));

      kac_bar_chart_add_bar (self->days_chart, label, day->figures.by_channel);
    }

  gtk_label_set_text (self->summary_label, summary);
  kac_bar_chart_set_summary (self->services_chart, services_summary->str);
  kac_bar_chart_set_summary (self->days_chart, summary);
  kac_bar_chart_set_summary (self->institutions_chart, institutions_summary->str);
}

static void
compute_range (KacStatsPage  *self,
               KacStatsRange  range)
{
  self->from = self->today;
  self->to = self->today;

  switch (range)
    {
    case KAC_STATS_RANGE_TODAY:
      break;
    case KAC_STATS_RANGE_YESTERDAY:
      g_date_subtract_days (&self->from, 1);
      self->to = self->from;
      break;
    case KAC_STATS_RANGE_THIS_WEEK:
      /* Weeks start on Monday in Latvia. */
      g_date_subtract_days (&self->from, g_date_get_weekday (&self->today) - G_DATE_MONDAY);
      break;
    case KAC_STATS_RANGE_THIS_MONTH:
      g_date_set_day (&self->from, 1);
      break;
    case KAC_STATS_RANGE_CUSTOM:
    default:
      g_assert_not_reached ();
    }
}

static void scope_changed_cb (KacStatsPage *self);

static void
set_notice (KacStatsPage *self,
            const char   *text,
            gboolean      is_error)
{
  gtk_label_set_text (self->notice_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), text != NULL && *text != '\0');
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->notice_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->notice_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->notice_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->notice_label), "dim-label");
    }
}

/* Why the whole centre's figures cannot be shown now, or NULL when they can. */
static const char *
centre_unavailable_reason (KacStatsPage *self)
{
  KacSyncState state;

  if (self->engine == NULL || kac_sync_engine_get_server_uri (self->engine) == NULL)
    return _("The whole centre’s figures come from the central system, and this computer is not connected to one. These are this terminal’s figures.");

  state = kac_sync_engine_get_state (self->engine);
  if (kac_sync_engine_get_token (self->engine) == NULL || state == KAC_SYNC_STATE_AUTH_NEEDED)
    return _("Sign in to the central system as a manager to see the whole centre’s figures. These are this terminal’s figures.");

  if (g_strcmp0 (self->role, "manager") != 0)
    return _("Only the centre’s managers can see the whole centre’s figures. These are the registrations made at this terminal.");

  if (state == KAC_SYNC_STATE_OFFLINE)
    return _("The central system cannot be reached just now, so the whole centre’s figures cannot be fetched. These are this terminal’s figures; try again when the connection is back.");

  if (state == KAC_SYNC_STATE_TLS_ERROR)
    return _("The central system’s certificate is not trusted, so the whole centre’s figures cannot be fetched. Ask your administrator to check the server settings.");

  return NULL;
}

static void
show_stats (KacStatsPage *self)
{
  if (self->stats == NULL || self->stats->totals.cases == 0)
    {
      adw_status_page_set_title (self->empty_page, _("No Registrations in This Range"));
      adw_status_page_set_description (self->empty_page,
                                       self->scope == KAC_STATS_SCOPE_CENTRE
                                       ? _("Choose another range of days: the figures count the "
                                           "registrations of every terminal of the centre.")
                                       : _("Choose another range of days: the figures count the "
                                           "registrations made at this terminal."));
      g_list_store_remove_all (self->rows);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  fill_charts_and_table (self);
  gtk_stack_set_visible_child_name (self->stack, "figures");
}

static void
centre_stats_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KacStatsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  KacWireStats *stats;

  stats = kac_http_client_get_stats_finish (KAC_HTTP_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  g_clear_object (&self->cancellable);

  if (stats == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_AUTH))
        text = g_strdup (_("Your sign-in to the central system has expired. Sign in again to see the whole centre’s figures."));
      else if (g_error_matches (error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_REJECTED)
               || g_error_matches (error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_TLS)
               || g_error_matches (error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_CONFIG))
        text = g_strdup (error->message);
      else
        text = g_strdup (_("The central system cannot be reached just now, so the whole centre’s figures cannot be fetched. Try again later; this terminal’s figures are always available."));

      set_notice (self, text, TRUE);
      g_list_store_remove_all (self->rows);
      adw_status_page_set_title (self->empty_page, _("The Centre’s Figures Cannot Be Fetched"));
      adw_status_page_set_description (self->empty_page, text);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  self->stats = stats;
  set_notice (self, NULL, FALSE);
  show_stats (self);
}

static void
fetch_centre_stats (KacStatsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacHttpClient) client = NULL;

  client = kac_http_client_new (kac_sync_engine_get_server_uri (self->engine),
                                kac_sync_engine_get_ca_file (self->engine), &error);
  if (client == NULL)
    {
      set_notice (self, error->message, TRUE);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  kac_http_client_set_token (client, kac_sync_engine_get_token (self->engine));

  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  set_notice (self, _("Fetching the whole centre’s figures from the central system…"), FALSE);
  kac_http_client_get_stats_async (client, self->centre_id != NULL ? self->centre_id : "",
                                   &self->from, &self->to, self->cancellable,
                                   centre_stats_cb, g_object_ref (self));
}

static void
reload (KacStatsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *from_text = format_date (&self->from);
  g_autofree char *to_text = format_date (&self->to);
  g_autofree char *range_text = NULL;

  g_clear_pointer (&self->stats, kac_wire_stats_free);

  if (g_date_compare (&self->from, &self->to) == 0)
    range_text = g_strdup (from_text);
  else
    /* Translators: a range of days, e.g. "2026-03-02 – 2026-03-08". */
    range_text = g_strdup_printf (_("%s – %s"), from_text, to_text);
  gtk_label_set_text (self->range_label, range_text);

  if (gtk_drop_down_get_selected (self->range_dropdown) != KAC_STATS_RANGE_CUSTOM)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from_text);
      gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to_text);
    }

  /* A fetch of another range or scope is of no use any more. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->loading = FALSE;

  if (self->scope == KAC_STATS_SCOPE_CENTRE)
    {
      const char *reason = centre_unavailable_reason (self);

      if (reason == NULL)
        {
          fetch_centre_stats (self);
          return;
        }

      /* Back to this terminal, saying why. */
      self->scope = KAC_STATS_SCOPE_TERMINAL;
      gtk_drop_down_set_selected (self->scope_dropdown, KAC_STATS_SCOPE_TERMINAL);
      set_notice (self, reason, FALSE);
    }
  else
    set_notice (self, NULL, FALSE);

  if (self->store != NULL)
    self->stats = kac_store_get_stats (self->store, self->centre_id, self->centre_name,
                                       &self->from, &self->to, &self->today, &error);
  if (error != NULL)
    {
      adw_status_page_set_title (self->empty_page, _("The Figures Cannot Be Read"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  show_stats (self);
}

/* Callbacks */

static void
scope_changed_cb (KacStatsPage *self)
{
  KacStatsScope scope = gtk_drop_down_get_selected (self->scope_dropdown) == KAC_STATS_SCOPE_CENTRE
                        ? KAC_STATS_SCOPE_CENTRE : KAC_STATS_SCOPE_TERMINAL;

  /* The page moving the switch back to this terminal itself (the notification may come
   * later, after the reason was shown) is not a choice of the manager's. */
  if (scope == self->scope)
    return;

  self->scope = scope;
  reload (self);
}

/* The sign-in or the connection changed: whole-centre figures may have become unavailable
 * (then the page goes back to this terminal and says why), or the reason may have changed. */
static void
engine_changed_cb (KacStatsPage *self)
{
  const char *reason = centre_unavailable_reason (self);

  /* The switch itself tells why before it is even tried. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->scope_dropdown),
                               reason != NULL ? reason : _("Whose registrations to count"));

  if (self->scope == KAC_STATS_SCOPE_CENTRE && reason != NULL && !self->loading)
    reload (self);
}

static char *
dup_export_name (KacStatsPage *self,
                 const char   *extension)
{
  g_autofree char *from = format_date (&self->from);
  g_autofree char *to = format_date (&self->to);

  /* Translators: the suggested file name of an export, without the extension: the words are
   * "statistics", the first day and the last day. */
  return g_strdup_printf (_("statistics-%s-%s.%s"), from, to, extension);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  KacStatsPage *self = KAC_STATS_PAGE (user_data);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gboolean pdf = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "kac-pdf"));
  gboolean ok;

  if (response != GTK_RESPONSE_ACCEPT
      || (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) == NULL)
    {
      g_clear_object (&self->chooser);
      return;
    }

  if (pdf)
    ok = kac_stats_page_export_pdf (self, file, &error);
  else
    {
      const char *choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "separator");

      ok = kac_stats_page_export_csv (self, file, g_strcmp0 (choice, "comma") == 0 ? ',' : ';', &error);
    }

  if (ok)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *text = g_strdup_printf (_("The figures were saved to “%s”."), name);

      set_notice (self, text, FALSE);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("The figures could not be saved: %s Choose another folder or file name and try again."),
                                               error->message);

      set_notice (self, text, TRUE);
    }

  g_clear_object (&self->chooser);
}

static void
export (KacStatsPage *self,
        gboolean      pdf)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *name = dup_export_name (self, pdf ? "pdf" : "csv");
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->stats == NULL)
    {
      set_notice (self, _("There are no figures to export: choose a range first."), TRUE);
      return;
    }

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  self->chooser = gtk_file_chooser_native_new (pdf ? _("Export the Figures as PDF")
                                                   : _("Export the Figures as CSV"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);

  if (pdf)
    {
      gtk_file_filter_set_name (filter, _("PDF documents"));
      gtk_file_filter_add_mime_type (filter, "application/pdf");
      gtk_file_filter_add_suffix (filter, "pdf");
    }
  else
    {
      /* Semicolon first: spreadsheets in Latvia read the comma as the decimal sign. */
      const char *ids[] = { "semicolon", "comma", NULL };
      const char *labels[] = { _("Semicolon (;)"), _("Comma (,)"), NULL };

      gtk_file_filter_set_name (filter, _("CSV tables"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
      gtk_file_filter_add_suffix (filter, "csv");
      gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (self->chooser), "separator",
                                   _("Separator"), ids, labels);
      gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (self->chooser), "separator", "semicolon");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);

  g_object_set_data (G_OBJECT (self->chooser), "kac-pdf", GINT_TO_POINTER (pdf));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  export (KAC_STATS_PAGE (widget), FALSE);
}

static void
export_pdf_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  export (KAC_STATS_PAGE (widget), TRUE);
}

static void
range_changed_cb (KacStatsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->range_dropdown);
  gboolean custom = selected == KAC_STATS_RANGE_CUSTOM;

  gtk_widget_set_sensitive (GTK_WIDGET (self->from_entry), custom);
  gtk_widget_set_sensitive (GTK_WIDGET (self->to_entry), custom);
  if (custom)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->from_entry));
      return;
    }

  compute_range (self, selected);
  reload (self);
}

static void
custom_range_cb (KacStatsPage *self)
{
  GDate from, to;
  gboolean from_ok = parse_date (gtk_editable_get_text (GTK_EDITABLE (self->from_entry)), &from);
  gboolean to_ok = parse_date (gtk_editable_get_text (GTK_EDITABLE (self->to_entry)), &to);

  /* A wrong day is shown on its entry, as on the register page. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->from_entry),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               from_ok ? GTK_ACCESSIBLE_INVALID_FALSE : GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->to_entry),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               to_ok ? GTK_ACCESSIBLE_INVALID_FALSE : GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
  if (!from_ok)
    gtk_widget_add_css_class (GTK_WIDGET (self->from_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->from_entry), "error");
  if (!to_ok)
    gtk_widget_add_css_class (GTK_WIDGET (self->to_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->to_entry), "error");

  if (!from_ok || !to_ok)
    {
      gtk_label_set_text (self->range_label, _("Write the days as YYYY-MM-DD, e.g. 2026-03-02."));
      return;
    }

  kac_stats_page_set_custom_range (self, &from, &to);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_INT (user_data) ? 1 : 0);
  if (!GPOINTER_TO_INT (user_data))
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  const char *property = g_object_get_data (G_OBJECT (factory), "property");
  GObject *row = gtk_list_item_get_item (item);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (row), property);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *text = NULL;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (row, property, &value);

  if (G_VALUE_HOLDS_STRING (&value))
    text = g_value_dup_string (&value);
  else if (G_VALUE_HOLDS_INT64 (&value))
    text = g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (&value));
  else if (g_value_get_double (&value) > 0)
    text = g_strdup_printf ("%.2f", g_value_get_double (&value));
  else
    text = g_strdup ("–");

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
add_column (KacStatsPage *self,
            const char   *title,
            const char   *property,
            gboolean      numeric)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;
  GtkExpression *expression;
  GtkSorter *sorter;

  g_object_set_data_full (G_OBJECT (factory), "property", g_strdup (property), g_free);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (numeric));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), NULL);

  expression = gtk_property_expression_new (KAC_TYPE_STATS_ROW, NULL, property);
  if (numeric)
    {
      sorter = GTK_SORTER (gtk_numeric_sorter_new (expression));
      /* The largest first on the first click: what a manager looks for. */
      gtk_numeric_sorter_set_sort_order (GTK_NUMERIC_SORTER (sorter), GTK_SORT_DESCENDING);
    }
  else
    sorter = GTK_SORTER (gtk_string_sorter_new (expression));

  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_expand (column, !numeric);
  /* Service names are long: without a width of their own the numbers squeeze them to "…". */
  if (g_str_equal (property, "name"))
    gtk_column_view_column_set_fixed_width (column, 280);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->table, column);
  g_object_unref (sorter);
  g_object_unref (column);
}

/* GObject */

static void
kac_stats_page_dispose (GObject *object)
{
  KacStatsPage *self = KAC_STATS_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->role, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), KAC_TYPE_STATS_PAGE);
  g_clear_object (&self->rows);
  g_clear_object (&self->sorted_rows);
  g_clear_object (&self->store);
  g_clear_object (&self->catalog);
  g_clear_pointer (&self->stats, kac_wire_stats_free);
  g_clear_pointer (&self->centre_id, g_free);
  g_clear_pointer (&self->centre_name, g_free);

  G_OBJECT_CLASS (kac_stats_page_parent_class)->dispose (object);
}

static void
kac_stats_page_class_init (KacStatsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kac_stats_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/lv/vpvkac/Desk/kac-stats-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KacStatsPage, box);
  gtk_widget_class_bind_template_child (widget_class, KacStatsPage, days_chart_box);
  gtk_widget_class_bind_template_child (widget_class, KacStatsPage, institutions_chart_box);
  gtk_widget_class_bind_template_child (widget_class, KacStatsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KacStatsPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, KacStatsPage, range_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KacStatsPage, notice_label);
  gtk_widget_class_bind_template_child (widget_class, KacStatsPage, range_label);
  gtk_widget_class_bind_template_child (widget_class, KacStatsPage, scope_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KacStatsPage, services_chart_box);
  gtk_widget_class_bind_template_child (widget_class, KacStatsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, KacStatsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KacStatsPage, table);
  gtk_widget_class_bind_template_child (widget_class, KacStatsPage, to_entry);
  gtk_widget_class_bind_template_callback (widget_class, range_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, custom_range_cb);
  gtk_widget_class_bind_template_callback (widget_class, scope_changed_cb);

  gtk_widget_class_install_action (widget_class, "stats.export-csv", NULL, export_csv_action);
  gtk_widget_class_install_action (widget_class, "stats.export-pdf", NULL, export_pdf_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kac_stats_page_init (KacStatsPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  kac_calendar_date_of (now, &self->today);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->services_chart = KAC_BAR_CHART (kac_bar_chart_new (KAC_BAR_CHART_HORIZONTAL));
  gtk_widget_set_hexpand (GTK_WIDGET (self->services_chart), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->services_chart),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Cases by service and channel"),
                                  -1);
  gtk_box_append (self->services_chart_box, GTK_WIDGET (self->services_chart));

  self->days_chart = KAC_BAR_CHART (kac_bar_chart_new (KAC_BAR_CHART_COLUMNS));
  gtk_widget_set_hexpand (GTK_WIDGET (self->days_chart), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->days_chart),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Cases by day and channel"),
                                  -1);
  gtk_box_append (self->days_chart_box, GTK_WIDGET (self->days_chart));

  self->institutions_chart = KAC_BAR_CHART (kac_bar_chart_new (KAC_BAR_CHART_HORIZONTAL));
  gtk_widget_set_hexpand (GTK_WIDGET (self->institutions_chart), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->institutions_chart),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Cases by institution and channel"),
                                  -1);
  gtk_box_append (self->institutions_chart_box, GTK_WIDGET (self->institutions_chart));

  add_column (self, C_("statistics column", "Service"), "name", FALSE);
  add_column (self, C_("statistics column", "Institution"), "institution", FALSE);
  add_column (self, C_("statistics column", "Cases"), "cases", TRUE);
  add_column (self, kac_channel_get_label (KAC_CHANNEL_IN_PERSON), "in-person", TRUE);
  add_column (self, kac_channel_get_label (KAC_CHANNEL_PHONE), "phone", TRUE);
  add_column (self, kac_channel_get_label (KAC_CHANNEL_ELECTRONIC), "electronic", TRUE);
  add_column (self, kac_channel_get_label (KAC_CHANNEL_POST), "post", TRUE);
  add_column (self, C_("statistics column", "Delayed"), "delayed", TRUE);
  add_column (self, C_("statistics column", "Complaints"), "complaints", TRUE);
  add_column (self, C_("statistics column", "Satisfaction"), "average", TRUE);

  self->rows = g_list_store_new (KAC_TYPE_STATS_ROW);
  self->sorted_rows = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                               g_object_ref (gtk_column_view_get_sorter (self->table)));
  gtk_column_view_set_model (self->table,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->sorted_rows)))));

  compute_range (self, KAC_STATS_RANGE_TODAY);
  reload (self);
}

/* Public API */

void
kac_stats_page_set_store (KacStatsPage *self,
                          KacStore     *store)
{
  g_return_if_fail (KAC_IS_STATS_PAGE (self));
  g_return_if_fail (store == NULL || KAC_IS_STORE (store));

  g_set_object (&self->store, store);
  reload (self);
}

void
kac_stats_page_set_catalog (KacStatsPage *self,
                            KacCatalog   *catalog)
{
  g_return_if_fail (KAC_IS_STATS_PAGE (self));

  g_set_object (&self->catalog, catalog);
  reload (self);
}

void
kac_stats_page_set_centre (KacStatsPage *self,
                           const char   *centre_id,
                           const char   *centre_name)
{
  g_return_if_fail (KAC_IS_STATS_PAGE (self));

  g_free (self->centre_id);
  self->centre_id = g_strdup (centre_id);
  g_free (self->centre_name);
  self->centre_name = g_strdup (centre_name);
  reload (self);
}

void
kac_stats_page_set_today (KacStatsPage *self,
                          const GDate  *today)
{
  guint selected;

  g_return_if_fail (KAC_IS_STATS_PAGE (self));
  g_return_if_fail (today != NULL && g_date_valid (today));

  self->today = *today;
  selected = gtk_drop_down_get_selected (self->range_dropdown);
  if (selected != KAC_STATS_RANGE_CUSTOM)
    compute_range (self, selected);
  reload (self);
}

void
kac_stats_page_set_range (KacStatsPage  *self,
                          KacStatsRange  range)
{
  g_return_if_fail (KAC_IS_STATS_PAGE (self));

  if (gtk_drop_down_get_selected (self->range_dropdown) == range)
    range_changed_cb (self);
  else
    gtk_drop_down_set_selected (self->range_dropdown, range);
}

void
kac_stats_page_set_custom_range (KacStatsPage *self,
                                 const GDate  *from,
                                 const GDate  *to)
{
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;

  g_return_if_fail (KAC_IS_STATS_PAGE (self));
  g_return_if_fail (from != NULL && to != NULL);

  /* Either order reads as the same range. */
  if (g_date_compare (from, to) <= 0)
    {
      self->from = *from;
      self->to = *to;
    }
  else
    {
      self->from = *to;
      self->to = *from;
    }

  g_signal_handlers_block_by_func (self->range_dropdown, range_changed_cb, self);
  gtk_drop_down_set_selected (self->range_dropdown, KAC_STATS_RANGE_CUSTOM);
  g_signal_handlers_unblock_by_func (self->range_dropdown, range_changed_cb, self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->from_entry), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->to_entry), TRUE);
  from_text = format_date (&self->from);
  to_text = format_date (&self->to);
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from_text);
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to_text);
  reload (self);
}

void
kac_stats_page_set_sync_engine (KacStatsPage  *self,
                                KacSyncEngine *engine)
{
  g_return_if_fail (KAC_IS_STATS_PAGE (self));
  g_return_if_fail (engine == NULL || KAC_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    {
      g_signal_connect_object (engine, "notify::token", G_CALLBACK (engine_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (engine, "notify::state", G_CALLBACK (engine_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (engine, "notify::server-uri", G_CALLBACK (engine_changed_cb), self, G_CONNECT_SWAPPED);
    }
  engine_changed_cb (self);
}

void
kac_stats_page_set_role (KacStatsPage *self,
                         const char   *role)
{
  g_return_if_fail (KAC_IS_STATS_PAGE (self));

  if (g_strcmp0 (self->role, role) == 0)
    return;
  g_free (self->role);
  self->role = g_strdup (role);
  engine_changed_cb (self);
}

void
kac_stats_page_set_scope (KacStatsPage  *self,
                          KacStatsScope  scope)
{
  g_return_if_fail (KAC_IS_STATS_PAGE (self));
  g_return_if_fail (scope == KAC_STATS_SCOPE_TERMINAL || scope == KAC_STATS_SCOPE_CENTRE);

  if (gtk_drop_down_get_selected (self->scope_dropdown) == (guint) scope)
    {
      self->scope = scope;
      reload (self);
    }
  else
    gtk_drop_down_set_selected (self->scope_dropdown, scope);
}

KacStatsScope
kac_stats_page_get_scope (KacStatsPage *self)
{
  g_return_val_if_fail (KAC_IS_STATS_PAGE (self), KAC_STATS_SCOPE_TERMINAL);

  return self->scope;
}

const char *
kac_stats_page_get_centre_unavailable_reason (KacStatsPage *self)
{
  g_return_val_if_fail (KAC_IS_STATS_PAGE (self), NULL);

  return centre_unavailable_reason (self);
}

const char *
kac_stats_page_get_notice (KacStatsPage *self)
{
  g_return_val_if_fail (KAC_IS_STATS_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->notice_label)))
    return NULL;
  return gtk_label_get_text (self->notice_label);
}

gboolean
kac_stats_page_get_loading (KacStatsPage *self)
{
  g_return_val_if_fail (KAC_IS_STATS_PAGE (self), FALSE);

  return self->loading;
}

static gboolean
queued_refresh_cb (gpointer user_data)
{
  KacStatsPage *self = KAC_STATS_PAGE (user_data);

  self->refresh_id = 0;
  if (self->scope == KAC_STATS_SCOPE_TERMINAL)
    reload (self);
  return G_SOURCE_REMOVE;
}

void
kac_stats_page_queue_refresh (KacStatsPage *self)
{
  g_return_if_fail (KAC_IS_STATS_PAGE (self));

  if (self->scope != KAC_STATS_SCOPE_TERMINAL || self->refresh_id != 0)
    return;
  self->refresh_id = g_timeout_add (REFRESH_DELAY_MS, queued_refresh_cb, self);
}

void
kac_stats_page_refresh (KacStatsPage *self)
{
  g_return_if_fail (KAC_IS_STATS_PAGE (self));

  reload (self);
}

const KacWireStats *
kac_stats_page_get_stats (KacStatsPage *self)
{
  g_return_val_if_fail (KAC_IS_STATS_PAGE (self), NULL);

  return self->stats;
}

GListModel *
kac_stats_page_get_table_model (KacStatsPage *self)
{
  g_return_val_if_fail (KAC_IS_STATS_PAGE (self), NULL);

  return G_LIST_MODEL (self->sorted_rows);
}

gboolean
kac_stats_page_export_csv (KacStatsPage  *self,
                           GFile         *file,
                           char           separator,
                           GError       **error)
{
  g_return_val_if_fail (KAC_IS_STATS_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->stats == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There are no figures to export: choose a range first."));
      return FALSE;
    }

  return kac_stats_write_csv (self->stats, self->catalog, separator, file, NULL, error);
}

static cairo_status_t
write_to_stream (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  GOutputStream *stream = closure;

  return g_output_stream_write_all (stream, data, length, NULL, NULL, NULL)
         ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void
show_text (cairo_t    *cr,
           double      x,
           double      y,
           double      size,
           gboolean    bold,
           const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (bold ? "Sans Bold" : "Sans");

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) ((595 - 2 * x) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

gboolean
kac_stats_page_export_pdf (KacStatsPage  *self,
                           GFile         *file,
                           GError       **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *summary = NULL;
  KacBarChartColors colors;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (KAC_IS_STATS_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->stats == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There are no figures to export: choose a range first."));
      return FALSE;
    }

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (stream == NULL)
    return FALSE;

  /* A4 in points; black on white whatever the desk's style: it is printed and handed on. */
  surface = cairo_pdf_surface_create_for_stream (write_to_stream, stream, 595, 842);
  cr = cairo_create (surface);
  gdk_rgba_parse (&colors.foreground, "black");
  kac_bar_chart_get_colors (self->services_chart, &colors);
  gdk_rgba_parse (&colors.foreground, "black");
  cairo_set_source_rgb (cr, 0, 0, 0);

  from_text = format_date (&self->stats->from);
  to_text = format_date (&self->stats->to);
  /* Translators: the heading of the PDF report: the centre, then the range of days. */
  heading = g_strdup_printf (_("%s: figures %s – %s"),
                             self->stats->centre_name[0] != '\0' ? self->stats->centre_name : _("This terminal"),
                             from_text, to_text);
  summary = dup_summary (self);
  show_text (cr, 40, 40, 16, TRUE, heading);
  show_text (cr, 40, 70, 11, FALSE, summary);

  show_text (cr, 40, 110, 12, TRUE, _("Cases by service and channel"));
  cairo_save (cr);
  cairo_translate (cr, 40, 130);
  kac_bar_chart_draw (self->services_chart, cr, 515, 380, &colors);
  cairo_restore (cr);

  show_text (cr, 40, 530, 12, TRUE, _("Cases by day and channel"));
  cairo_save (cr);
  cairo_translate (cr, 40, 550);
  kac_bar_chart_draw (self->days_chart, cr, 515, 240, &colors);
  cairo_restore (cr);

  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The PDF report could not be written: %s"), cairo_status_to_string (status));
      return FALSE;
    }

  return g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}
