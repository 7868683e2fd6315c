/* kac-materials-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Methodological materials (MK 401 §15.2, §18.2), all from the store so that they read
 * offline: a list by institution and service with "New" and "Updated since you read it"
 * marks, full-text search (the store's FTS5: case and diacritics ignored, hits highlighted in
 * titles and snippets), and the newest version's text rendered from the Markdown subset
 * (kac-markup: everything escaped, links only http, https and mailto). Opening a material
 * marks that version read. Attachments open in the system's viewer through GIO, which goes
 * through the OpenURI portal inside Flatpak.
 */
#define G_LOG_DOMAIN "kac-materials-page"

#include "config.h"

#include "kac-materials-page.h"

#include <glib/gi18n.h>

#include "kac-markup.h"
#include "kac-store-materials.h"

#define SEARCH_LIMIT 100

struct _KacMaterialsPage
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkBox         *attachments_box;
  GtkLabel       *body_label;
  GtkStack       *detail_stack;
  GtkDropDown    *institution_dropdown;
  GtkListBox     *list;
  GtkLabel       *meta_label;
  GtkPaned       *paned;
  GtkLabel       *placeholder_label;
  GtkSearchEntry *search_entry;
  GtkDropDown    *service_dropdown;
  GtkLabel       *title_label;

  KacStore       *store;
  GPtrArray      *infos;      /* of KacMaterialInfo */
  GHashTable     *by_id;      /* id → KacMaterialInfo (borrowed from infos) */
  char           *shown_id;   /* the material on the right, or NULL */
  gboolean        updating;   /* while the dropdowns' models are replaced */
};

G_DEFINE_FINAL_TYPE (KacMaterialsPage, kac_materials_page, GTK_TYPE_WIDGET)

/* Helpers */

static char *
dup_selected (GtkDropDown *dropdown)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);

  /* Position 0 is "all". */
  if (item == NULL || gtk_drop_down_get_selected (dropdown) == 0)
    return NULL;
  return g_strdup (gtk_string_object_get_string (item));
}

static void
set_choices (GtkDropDown *dropdown,
             const char  *all_label,
             GPtrArray   *codes,
             const char  *keep)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  guint selected = 0;

  gtk_string_list_append (model, all_label);
  for (guint i = 0; i < codes->len; i++)
    {
      gtk_string_list_append (model, codes->pdata[i]);
      if (g_strcmp0 (codes->pdata[i], keep) == 0)
        selected = i + 1;
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (dropdown, selected);
}

static void
add_unique (GPtrArray  *codes,
            const char *code)
{
  for (guint i = 0; i < codes->len; i++)
    if (g_strcmp0 (codes->pdata[i], code) == 0)
      return;
  g_ptr_array_add (codes, (gpointer) code);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* The dropdowns offer what the cache holds: institutions, then that institution's services. */
static void
update_filters (KacMaterialsPage *self)
{
  g_autofree char *institution = dup_selected (self->institution_dropdown);
  g_autofree char *service = dup_selected (self->service_dropdown);
  g_autoptr(GPtrArray) institutions = g_ptr_array_new ();
  g_autoptr(GPtrArray) services = g_ptr_array_new ();

  for (guint i = 0; i < self->infos->len; i++)
    {
      KacMaterialInfo *info = self->infos->pdata[i];

      add_unique (institutions, info->institution);
      if (institution == NULL || g_strcmp0 (institution, info->institution) == 0)
        for (guint j = 0; info->services != NULL && info->services[j] != NULL; j++)
          add_unique (services, info->services[j]);
    }
  g_ptr_array_sort (institutions, compare_strings);
  g_ptr_array_sort (services, compare_strings);

  self->updating = TRUE;
  set_choices (self->institution_dropdown, _("All institutions"), institutions, institution);
  set_choices (self->service_dropdown, _("All services"), services, service);
  self->updating = FALSE;
}

static gboolean
passes_filters (KacMaterialsPage *self,
                KacMaterialInfo  *info,
                const char       *institution,
                const char       *service)
{
  if (institution != NULL && g_strcmp0 (info->institution, institution) != 0)
    return FALSE;
  if (service != NULL && (info->services == NULL || !g_strv_contains ((const char * const *) info->services, service)))
    return FALSE;
  return TRUE;
}

static const char *
get_mark (KacMaterialInfo *info)
{
  if (info->read_version == 0)
    return C_("material", "New");
  if (info->read_version < info->version)
    return _("Updated since you read it");
  return NULL;
}

static GtkWidget *
make_row (KacMaterialInfo *info,
          const char      *title_markup,
          const char      *detail_markup)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);
  const char *mark = get_mark (info);
  g_autofree char *flat = NULL;

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_markup (GTK_LABEL (title), title_markup);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);

  /* One flowing snippet: the text's line breaks would make every row a page long. */
  flat = g_strdelimit (g_strdup (detail_markup), "\n", ' ');
  gtk_label_set_markup (GTK_LABEL (detail), flat);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
  gtk_label_set_lines (GTK_LABEL (detail), 3);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "caption");
  gtk_box_append (GTK_BOX (box), detail);

  if (mark != NULL)
    {
      GtkWidget *badge = gtk_label_new (mark);

      gtk_widget_set_halign (badge, GTK_ALIGN_START);
      gtk_widget_add_css_class (badge, "material-mark");
      gtk_widget_add_css_class (badge, info->read_version == 0 ? "new" : "updated");
      gtk_box_append (GTK_BOX (box), badge);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "kac-material-id", g_strdup (info->id), g_free);
  return row;
}

static char *
describe_services (KacMaterialInfo *info)
{
  g_autofree char *services = info->services != NULL ? g_strjoinv (", ", info->services) : g_strdup ("");

  return g_strdup_printf ("%s · %s", info->institution, services);
}

static void
rebuild_list (KacMaterialsPage *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *institution = dup_selected (self->institution_dropdown);
  g_autofree char *service = dup_selected (self->service_dropdown);
  GtkWidget *child;
  g_autofree char *trimmed = g_strstrip (g_strdup (query));

  /* Rows only: the placeholder is a child of the list too. */
  while ((child = GTK_WIDGET (gtk_list_box_get_row_at_index (self->list, 0))) != NULL)
    gtk_list_box_remove (self->list, child);

  if (self->store != NULL && *trimmed != '\0')
    {
      g_autoptr(GPtrArray) hits = NULL;
      g_autoptr(GError) error = NULL;

      hits = kac_store_search_materials (self->store, query, SEARCH_LIMIT, &error);
      if (hits == NULL)
        {
          /* An unfinished phrase, for one: say so instead of an empty list. */
          g_debug ("Search failed: %s", error->message);
          gtk_label_set_label (self->placeholder_label,
                               _("This search cannot be run. Check the quotation marks, or use plain words."));
          return;
        }
      for (guint i = 0; i < hits->len; i++)
        {
          KacMaterialHit *hit = hits->pdata[i];
          KacMaterialInfo *info = g_hash_table_lookup (self->by_id, hit->id);

          if (info != NULL && passes_filters (self, info, institution, service))
            gtk_list_box_append (self->list, make_row (info, hit->title_markup, hit->snippet_markup));
        }
      gtk_label_set_label (self->placeholder_label,
                           _("Nothing found. Try fewer or shorter words; case and diacritics do not matter."));
    }
  else
    {
      for (guint i = 0; i < self->infos->len; i++)
        {
          KacMaterialInfo *info = self->infos->pdata[i];
          g_autofree char *title = NULL;
          g_autofree char *detail = NULL;
          g_autofree char *services = NULL;

          if (!passes_filters (self, info, institution, service))
            continue;
          title = g_markup_escape_text (info->title, -1);
          services = describe_services (info);
          detail = g_markup_escape_text (services, -1);
          gtk_list_box_append (self->list, make_row (info, title, detail));
        }
      gtk_label_set_label (self->placeholder_label,
                           self->infos->len == 0
                           ? _("No materials yet. They arrive from the central system when this desk is signed in.")
                           : _("No materials for this institution and service."));
    }

  /* Keep the one on the right selected. */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL && self->shown_id != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (child), "kac-material-id"), self->shown_id) == 0)
      gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (child));
}

static void
load_infos (KacMaterialsPage *self)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *infos = NULL;

  if (self->store != NULL)
    infos = kac_store_list_materials (self->store, &error);
  if (infos == NULL)
    {
      if (error != NULL)
        g_message ("Materials cannot be read: %s", error->message);
      infos = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_material_info_free);
    }

  g_hash_table_remove_all (self->by_id);
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  self->infos = infos;
  for (guint i = 0; i < infos->len; i++)
    g_hash_table_insert (self->by_id, ((KacMaterialInfo *) infos->pdata[i])->id, infos->pdata[i]);
}

static void
launch_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the system's explanation. */
      message = g_strdup_printf (_("The attachment could not be opened: %s. Install a program that shows this kind of file."),
                                 error->message);
      gtk_widget_activate_action (widget, "window.show-toast", "s", message);
    }
}

static void
attachment_clicked_cb (GtkButton        *button,
                       KacMaterialsPage *self)
{
  const char *path = g_object_get_data (G_OBJECT (button), "kac-path");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(GdkAppLaunchContext) context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (button)));

  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           launch_cb, g_object_ref (button));
}

static void
show_attachments (KacMaterialsPage *self,
                  KacWireMaterial  *material)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attachments_box))) != NULL)
    gtk_box_remove (self->attachments_box, child);

  for (guint i = 0; i < material->attachments->len; i++)
    {
      KacWireAttachment *attachment = material->attachments->pdata[i];
      g_autofree char *path = kac_store_dup_attachment_path (self->store, attachment->sha256);
      g_autofree char *size = g_format_size (attachment->size);
      g_autofree char *label = g_strdup_printf ("%s (%s)", attachment->name, size);
      GtkWidget *button = gtk_button_new ();
      GtkWidget *content = adw_button_content_new ();

      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "mail-attachment-symbolic");
      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), label);
      gtk_button_set_child (GTK_BUTTON (button), content);
      gtk_widget_set_halign (button, GTK_ALIGN_START);
      if (path != NULL)
        {
          g_object_set_data_full (G_OBJECT (button), "kac-path", g_steal_pointer (&path), g_free);
          gtk_widget_set_tooltip_text (button, _("Open in the system's viewer"));
          g_signal_connect_object (button, "clicked", G_CALLBACK (attachment_clicked_cb), self, 0);
        }
      else
        {
          gtk_widget_set_sensitive (button, FALSE);
          gtk_widget_set_tooltip_text (button, _("Not downloaded yet: it arrives with the next sync."));
        }
      gtk_box_append (self->attachments_box, button);
    }
}

/* Callbacks */

static void
search_changed_cb (KacMaterialsPage *self)
{
  rebuild_list (self);
}

static void
filter_changed_cb (KacMaterialsPage *self)
{
  if (self->updating)
    return;
  update_filters (self);
  rebuild_list (self);
}

static void
row_activated_cb (KacMaterialsPage *self,
                  GtkListBoxRow    *row)
{
  kac_materials_page_open_material (self, g_object_get_data (G_OBJECT (row), "kac-material-id"));
}

static gboolean
activate_link_cb (KacMaterialsPage *self,
                  const char       *uri,
                  GtkLabel         *label)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* kac-markup makes only safe links; checked again because this opens another program. */
  if (kac_markup_link_is_safe (uri))
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
  return TRUE;
}

/* GObject overrides */

static void
kac_materials_page_dispose (GObject *object)
{
  KacMaterialsPage *self = KAC_MATERIALS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KAC_TYPE_MATERIALS_PAGE);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  g_clear_pointer (&self->shown_id, g_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kac_materials_page_parent_class)->dispose (object);
}

static void
kac_materials_page_class_init (KacMaterialsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kac_materials_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/lv/vpvkac/Desk/kac-materials-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KacMaterialsPage, attachments_box);
  gtk_widget_class_bind_template_child (widget_class, KacMaterialsPage, body_label);
  gtk_widget_class_bind_template_child (widget_class, KacMaterialsPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, KacMaterialsPage, institution_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KacMaterialsPage, list);
  gtk_widget_class_bind_template_child (widget_class, KacMaterialsPage, meta_label);
  gtk_widget_class_bind_template_child (widget_class, KacMaterialsPage, paned);
  gtk_widget_class_bind_template_child (widget_class, KacMaterialsPage, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, KacMaterialsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KacMaterialsPage, service_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KacMaterialsPage, title_label);
}

static void
kac_materials_page_init (KacMaterialsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->infos = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_material_info_free);

  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->institution_dropdown, "notify::selected",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->service_dropdown, "notify::selected",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "row-activated",
                           G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->body_label, "activate-link",
                           G_CALLBACK (activate_link_cb), self, G_CONNECT_SWAPPED);

  update_filters (self);
  rebuild_list (self);
}

/* Public API */

void
kac_materials_page_set_store (KacMaterialsPage *self,
                              KacStore         *store)
{
  g_return_if_fail (KAC_IS_MATERIALS_PAGE (self));
  g_return_if_fail (store == NULL || KAC_IS_STORE (store));

  g_set_object (&self->store, store);
  kac_materials_page_refresh (self);
}

void
kac_materials_page_refresh (KacMaterialsPage *self)
{
  g_return_if_fail (KAC_IS_MATERIALS_PAGE (self));

  load_infos (self);
  update_filters (self);
  rebuild_list (self);
}

gboolean
kac_materials_page_open_material (KacMaterialsPage *self,
                                  const char       *id)
{
  g_autoptr(KacWireMaterial) material = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) updated = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *services = NULL;
  g_autofree char *date = NULL;
  g_autofree char *meta = NULL;
  gint64 read_version = 0;

  g_return_val_if_fail (KAC_IS_MATERIALS_PAGE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (self->store == NULL)
    return FALSE;

  material = kac_store_lookup_material (self->store, id, &read_version, &error);
  if (material == NULL || material->deleted)
    {
      if (error != NULL)
        g_message ("Material %s cannot be read: %s", id, error->message);
      return FALSE;
    }

  gtk_label_set_label (self->title_label, material->title);
  services = material->services != NULL ? g_strjoinv (", ", material->services) : g_strdup ("");
  if (material->updated_at != NULL)
    {
      updated = g_date_time_to_local (material->updated_at);
      /* Translators: a date in strftime format. */
      date = g_date_time_format (updated, _("%d.%m.%Y"));
    }
  /* Translators: %1$s is an institution ("VSAA"), %2$s service codes, %3$d a version number,
   * %4$s a date. */
  meta = g_strdup_printf (_("%1$s · %2$s · version %3$d of %4$s"), material->institution, services,
                          (int) material->version, date != NULL ? date : "");
  gtk_label_set_label (self->meta_label, meta);
  markup = kac_markup_to_pango (material->body != NULL ? material->body : "");
  gtk_label_set_markup (self->body_label, markup);
  show_attachments (self, material);
  gtk_stack_set_visible_child_name (self->detail_stack, "material");

  g_free (self->shown_id);
  self->shown_id = g_strdup (id);

  if (read_version != material->version)
    {
      if (!kac_store_mark_material_read (self->store, id, material->version, &error))
        g_message ("Material %s could not be marked read: %s", id, error->message);
      else
        {
          KacMaterialInfo *info = g_hash_table_lookup (self->by_id, id);

          if (info != NULL)
            info->read_version = material->version;
        }
    }
  rebuild_list (self);
  return TRUE;
}

void
kac_materials_page_focus_search (KacMaterialsPage *self)
{
  g_return_if_fail (KAC_IS_MATERIALS_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

GtkEditable *
_kac_materials_page_get_search_entry (KacMaterialsPage *self)
{
  return GTK_EDITABLE (self->search_entry);
}

GtkListBox *
_kac_materials_page_get_list (KacMaterialsPage *self)
{
  return self->list;
}

GtkLabel *
_kac_materials_page_get_body_label (KacMaterialsPage *self)
{
  return self->body_label;
}
