/* kac-queue-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The terminal's registrations with their state: today's by default, earlier days on demand,
 * searchable. Queued and rejected ones can be opened for correction or withdrawn.
 */
#define G_LOG_DOMAIN "kac-queue-page"

#include "config.h"

#include "kac-queue-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "kac-catalog.h"
#include "kac-queue-row.h"

struct _KacQueuePage
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkStack           *content_stack;
  AdwStatusPage      *empty_page;
  AdwStatusPage      *no_results_page;
  GtkListView        *queue_list;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *since_dropdown;

  KacStore           *store;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filter_model;
  GtkNoSelection     *selection;
  char              **query_words;
};

G_DEFINE_FINAL_TYPE (KacQueuePage, kac_queue_page, GTK_TYPE_WIDGET)

enum {
  OPEN_RECORD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The choices of the "Show" drop-down, in its order: how many days back from today. */
static const int since_days[] = { 0, 6, 29 };

/* Helpers */

static void
show_message (KacQueuePage *self,
              const char   *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "window.show-toast", "s", message);
}

static gboolean
record_matches (KacRecord  *record,
                char      **words)
{
  g_autoptr(GString) haystack = g_string_new (NULL);
  g_autofree char *folded = NULL;
  g_autofree char *time = NULL;
  const char *parts[5];

  if (words == NULL || words[0] == NULL)
    return TRUE;

  /* Never the personal code: a search must not reveal whose code it is. */
  time = kac_queue_row_format_time (kac_record_get_created_at (record));
  parts[0] = kac_record_kind_get_label (kac_record_get_kind (record));
  parts[1] = kac_record_get_service_name (record);
  parts[2] = kac_record_get_institution_code (record);
  parts[3] = kac_record_get_client_name (record);
  parts[4] = time;
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] != NULL)
        {
          g_string_append (haystack, parts[i]);
          g_string_append_c (haystack, '\n');
        }
    }
  g_string_append (haystack, kac_record_state_get_label (kac_record_get_state (record)));

  folded = kac_fold_for_search (haystack->str);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (strstr (folded, words[i]) == NULL)
        return FALSE;
    }

  return TRUE;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  KacQueuePage *self = user_data;

  return record_matches (KAC_RECORD (item), self->query_words);
}

static void
update_empty_state (KacQueuePage *self)
{
  GListModel *records;
  guint n_all = 0;
  guint n_shown = 0;

  if (self->store != NULL)
    {
      records = kac_store_get_records (self->store);
      n_all = g_list_model_get_n_items (records);
      n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
    }

  if (n_all == 0)
    {
      guint choice = gtk_drop_down_get_selected (self->since_dropdown);

      if (choice == 0 || choice >= G_N_ELEMENTS (since_days))
        adw_status_page_set_title (self->empty_page, _("No Registrations Today"));
      else
        {
          g_autofree char *title = NULL;

          title = g_strdup_printf (ngettext ("No Registrations in the Last %d Day",
                                             "No Registrations in the Last %d Days",
                                             since_days[choice] + 1),
                                   since_days[choice] + 1);
          adw_status_page_set_title (self->empty_page, title);
        }
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
    }
  else if (n_shown == 0)
    gtk_stack_set_visible_child_name (self->content_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->content_stack, "list");
}

static KacRecord *
lookup_record (KacQueuePage *self,
               const char   *uuid)
{
  g_autoptr(GError) error = NULL;
  KacRecord *record;

  if (self->store == NULL)
    return NULL;

  record = kac_store_lookup_record (self->store, uuid, &error);
  if (record == NULL)
    show_message (self, error->message);

  return record;
}

static void
open_record (KacQueuePage *self,
             KacRecord    *record)
{
  if (!kac_record_is_editable (record))
    {
      show_message (self, _("This registration was already sent or withdrawn and can no longer be changed."));
      return;
    }

  g_signal_emit (self, signals[OPEN_RECORD], 0, record);
}

/* Callbacks */

static void
search_changed_cb (KacQueuePage   *self,
                   GtkSearchEntry *entry)
{
  g_autofree char *folded = NULL;

  folded = kac_fold_for_search (gtk_editable_get_text (GTK_EDITABLE (entry)));
  g_strfreev (self->query_words);
  self->query_words = g_strsplit_set (g_strstrip (folded), " \t", -1);

  /* g_strsplit_set() leaves empty strings between repeated spaces; drop them. */
  {
    guint j = 0;

    for (guint i = 0; self->query_words[i] != NULL; i++)
      {
        if (*self->query_words[i] != '\0')
          self->query_words[j++] = self->query_words[i];
        else
          g_free (self->query_words[i]);
      }
    self->query_words[j] = NULL;
  }

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_empty_state (self);
}

static void
since_changed_cb (KacQueuePage *self,
                  GParamSpec   *pspec,
                  GtkDropDown  *dropdown)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) since = NULL;
  g_autoptr(GError) error = NULL;
  guint choice;

  if (self->store == NULL)
    return;

  choice = gtk_drop_down_get_selected (dropdown);
  if (choice >= G_N_ELEMENTS (since_days))
    choice = 0;

  now = g_date_time_new_now_local ();
  midnight = g_date_time_new_local (g_date_time_get_year (now),
                                    g_date_time_get_month (now),
                                    g_date_time_get_day_of_month (now),
                                    0, 0, 0);
  since = g_date_time_add_days (midnight, -since_days[choice]);

  if (!kac_store_set_records_since (self->store, since, &error))
    show_message (self, error->message);

  update_empty_state (self);
}

static void
items_changed_cb (KacQueuePage *self,
                  guint         position,
                  guint         removed,
                  guint         added,
                  GListModel   *model)
{
  update_empty_state (self);
}

static void
list_activate_cb (KacQueuePage *self,
                  guint         position,
                  GtkListView  *list)
{
  g_autoptr(KacRecord) record = NULL;

  record = g_list_model_get_item (G_LIST_MODEL (self->filter_model), position);
  if (record != NULL)
    open_record (self, record);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, kac_queue_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  KacQueuePage *self = user_data;
  KacRecord *record = gtk_list_item_get_item (item);
  KacQueueRow *row = KAC_QUEUE_ROW (gtk_list_item_get_child (item));

  kac_queue_row_set_record (row, record);
  gtk_list_item_set_activatable (item, kac_record_is_editable (record));

  /* A status change pulled from the central system replaces the record in the model, so the
   * row is bound again and reads the new status here. */
  if (self->store != NULL && kac_record_get_central_number (record) != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *due_date = NULL;
      KacApplicationStatus status = KAC_APPLICATION_STATUS_REGISTERED;
      gboolean known;

      known = kac_store_lookup_application_status (self->store, kac_record_get_uuid (record),
                                                   &status, &due_date, NULL, &error);
      if (error != NULL)
        g_debug ("No central status: %s", error->message);
      kac_queue_row_set_application_status (row, known, status, due_date);
    }
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  kac_queue_row_set_record (KAC_QUEUE_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
withdraw_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  g_autoptr(KacQueuePage) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *uuid;

  if (g_strcmp0 (response, "withdraw") != 0 || self->store == NULL)
    return;

  uuid = g_object_get_data (G_OBJECT (dialog), "kac-uuid");
  if (!kac_store_withdraw_record (self->store, uuid, &error))
    show_message (self, error->message);
  else
    show_message (self, _("Registration withdrawn"));
}

/* Actions */

static void
correct_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  KacQueuePage *self = KAC_QUEUE_PAGE (widget);
  g_autoptr(KacRecord) record = NULL;

  record = lookup_record (self, g_variant_get_string (param, NULL));
  if (record != NULL)
    open_record (self, record);
}

static void
withdraw_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  KacQueuePage *self = KAC_QUEUE_PAGE (widget);
  g_autoptr(KacRecord) record = NULL;
  g_autofree char *time = NULL;
  g_autofree char *body = NULL;
  GtkRoot *root;
  AdwMessageDialog *dialog;

  record = lookup_record (self, g_variant_get_string (param, NULL));
  if (record == NULL)
    return;

  if (!kac_record_is_editable (record))
    {
      show_message (self, _("This registration was already sent or withdrawn and can no longer be changed."));
      return;
    }

  time = kac_queue_row_format_time (kac_record_get_created_at (record));
  /* Translators: %1$s is a kind of registration ("Complaint"), %2$s its time ("10:42"). */
  body = g_strdup_printf (_("“%1$s” of %2$s will not be sent to the central system. It stays in the list, marked as withdrawn."),
                          kac_record_kind_get_label (kac_record_get_kind (record)), time);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Withdraw This Registration?"),
                                                       body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Keep It"),
                                    "withdraw", _("_Withdraw"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "withdraw", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "kac-uuid",
                          g_strdup (kac_record_get_uuid (record)), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (withdraw_response_cb), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
focus_search_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  KacQueuePage *self = KAC_QUEUE_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* GObject overrides */

static void
kac_queue_page_dispose (GObject *object)
{
  KacQueuePage *self = KAC_QUEUE_PAGE (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (kac_store_get_records (self->store), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KAC_TYPE_QUEUE_PAGE);
  /* The template's top-level children that no field points to are still ours to unparent. */
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self));
       c != NULL;
       c = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (c);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kac_queue_page_parent_class)->dispose (object);
}

static void
kac_queue_page_finalize (GObject *object)
{
  KacQueuePage *self = KAC_QUEUE_PAGE (object);

  g_strfreev (self->query_words);

  G_OBJECT_CLASS (kac_queue_page_parent_class)->finalize (object);
}

static void
kac_queue_page_class_init (KacQueuePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kac_queue_page_dispose;
  object_class->finalize = kac_queue_page_finalize;

  signals[OPEN_RECORD] =
    g_signal_new ("open-record",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, KAC_TYPE_RECORD);

  gtk_widget_class_set_template_from_resource (widget_class, "/lv/vpvkac/Desk/kac-queue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KacQueuePage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, KacQueuePage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KacQueuePage, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, KacQueuePage, queue_list);
  gtk_widget_class_bind_template_child (widget_class, KacQueuePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KacQueuePage, since_dropdown);

  gtk_widget_class_install_action (widget_class, "queue.correct", "s", correct_action);
  gtk_widget_class_install_action (widget_class, "queue.withdraw", "s", withdraw_action);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                focus_search_cb, NULL);
}

static void
kac_queue_page_init (KacQueuePage *self)
{
  GtkListItemFactory *factory;

  g_type_ensure (KAC_TYPE_QUEUE_ROW);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  self->selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_list_view_set_factory (self->queue_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->queue_list, GTK_SELECTION_MODEL (self->selection));
  gtk_list_view_set_single_click_activate (self->queue_list, FALSE);

  g_signal_connect_object (self->queue_list, "activate",
                           G_CALLBACK (list_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->since_dropdown, "notify::selected",
                           G_CALLBACK (since_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);

  update_empty_state (self);
}

/* Public API */

void
kac_queue_page_set_store (KacQueuePage *self,
                          KacStore     *store)
{
  g_return_if_fail (KAC_IS_QUEUE_PAGE (self));
  g_return_if_fail (store == NULL || KAC_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (kac_store_get_records (self->store), self);
  g_set_object (&self->store, store);

  gtk_filter_list_model_set_model (self->filter_model,
                                   store != NULL ? kac_store_get_records (store) : NULL);
  /* The empty state depends on the unfiltered count too. */
  if (store != NULL)
    g_signal_connect_swapped (kac_store_get_records (store), "items-changed",
                              G_CALLBACK (items_changed_cb), self);
  update_empty_state (self);
}

GListModel *
kac_queue_page_get_model (KacQueuePage *self)
{
  g_return_val_if_fail (KAC_IS_QUEUE_PAGE (self), NULL);

  return G_LIST_MODEL (self->filter_model);
}
