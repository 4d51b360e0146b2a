/**
 * The Spark engine of {@code brassboard campaign}: a campaign's runs as Spark tasks, each task
 * building its machines from the campaign's files shipped with the job, the records collected by
 * the driver and written by the same {@link brassboard.boards.campaign.CampaignRunner} the local
 * engine uses.
 */
package brassboard.spark;
