/** The state directory: validated zone versions written atomically, their metadata, rejected zones, the writer lock. */
package org.rootmirror.sync.store;
