/**
 * rootmirror's resolver against real DNS software from Debian: dig, kdig and delv querying it,
 * and Unbound answering the same questions through the same mini-internet.
 */
package org.rootmirror.resolver.interop;
