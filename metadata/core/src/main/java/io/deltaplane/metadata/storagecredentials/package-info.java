/**
 * Unity Catalog's storage credentials ({@code /api/2.1/unity-catalog/credentials}): the cloud
 * identities — an AWS IAM role, an Azure service principal or managed identity — that external
 * locations name, recorded and governed as a securable ({@code credential}: CREATE_STORAGE_CREDENTIAL
 * on the metastore makes one, CREATE_EXTERNAL_LOCATION on one lets an external location name it).
 * Vending is not changed by them: the platform's own identity ({@code credentials}) still signs
 * what it vends. No secret is stored, answered or logged: an Azure service principal's client
 * secret is taken only as a reference ({@code DELTAPLANE_SECRET_*}) to one the operator provides.
 *
 * <ul>
 *   <li>{@link io.deltaplane.metadata.storagecredentials.StorageCredentialService} — who may do what.
 *   <li>{@link io.deltaplane.metadata.storagecredentials.StorageCredentialRepository} — the one writer
 *       of {@code storage_credentials}.
 *   <li>{@link io.deltaplane.metadata.storagecredentials.StorageIdentity} — the three shapes.
 * </ul>
 */
package io.deltaplane.metadata.storagecredentials;
