/** Trust anchors for the root zone: built in, loaded from files, and IANA's signed root-anchors.xml. */
package org.rootmirror.dnssec.anchor;
